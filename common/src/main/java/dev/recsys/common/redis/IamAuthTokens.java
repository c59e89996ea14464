package dev.recsys.common.redis;

import dev.recsys.common.contract.Contract;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import redis.clients.authentication.core.IdentityProvider;
import redis.clients.authentication.core.SimpleToken;
import redis.clients.authentication.core.Token;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * ElastiCache IAM authentication tokens: a SigV4-presigned {@code GET http://<cache>/?Action=connect&User=<user>}
 * (the cache's replication group id as host), without its scheme, signed by the SDK's signer with the caller's
 * role credentials. The token is the user's password for {@code AUTH <user> <token>}; it is checked only when
 * sent, so a live connection outlives it and is kept alive by sending a newer one.
 */
public final class IamAuthTokens implements IdentityProvider {

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String cacheName;
    private final String user;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Contract.IamToken signing;
    private final Clock clock;

    /**
     * @param cacheName the replication group id (lower case, as ElastiCache names it)
     * @param user      the ElastiCache user id (for IAM users it equals the user name)
     */
    public IamAuthTokens(String cacheName, String user, String region, AwsCredentialsProvider credentials,
                         Contract.IamToken signing, Clock clock) {
        this.cacheName = requireText(cacheName, "cacheName").toLowerCase(java.util.Locale.ROOT);
        this.user = requireText(user, "user");
        this.region = requireText(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.signing = Objects.requireNonNull(signing, "signing");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static IamAuthTokens of(String cacheName, String user, String region, AwsCredentialsProvider credentials) {
        return new IamAuthTokens(cacheName, user, region, credentials, Contract.get().redis().iamToken(), Clock.systemUTC());
    }

    @Override
    public Token requestToken() {
        Instant now = clock.instant();
        SdkHttpRequest connect = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("http")
                .host(cacheName)
                .encodedPath("/")
                .putRawQueryParameter("Action", "connect")
                .putRawQueryParameter("User", user)
                .build();
        SdkHttpRequest signed = SIGNER.sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(connect)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, signing.service())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, signing.lifetime())
                .putProperty(AwsV4FamilyHttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
                .request();
        String url = signed.getUri().toString();
        String token = url.substring(url.indexOf("://") + 3);
        return new SimpleToken(user, token, now.plus(signing.lifetime()).toEpochMilli(), now.toEpochMilli(), Map.of());
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
        return value;
    }
}
