package dev.recsys.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.common.contract.Contract;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import redis.clients.authentication.core.Token;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

class IamAuthTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:15:30Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private static IamAuthTokens tokens(String cache, String user, StaticCredentialsProvider creds) {
        return new IamAuthTokens(cache, user, "eu-west-1", creds, Contract.get().redis().iamToken(), CLOCK);
    }

    @Test
    void aTokenIsThePresignedConnectRequestWithoutItsScheme() {
        Token t = tokens("Prod-Cache", "prod-api", StaticCredentialsProvider.create(KEYS)).requestToken();

        assertThat(t.getUser()).isEqualTo("prod-api");
        assertThat(t.getValue()).startsWith("prod-cache/?").doesNotContain("://");
        URI u = URI.create("http://" + t.getValue());
        assertThat(u.getHost()).isEqualTo("prod-cache");
        assertThat(u.getRawQuery()).contains("Action=connect", "User=prod-api", "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "X-Amz-Credential=AKIDEXAMPLE%2F20261202%2Feu-west-1%2Felasticache%2Faws4_request",
                "X-Amz-Date=20261202T081530Z", "X-Amz-Expires=900", "X-Amz-SignedHeaders=host")
                .containsPattern("X-Amz-Signature=[0-9a-f]{64}");
        assertThat(t.getReceivedAt()).isEqualTo(NOW.toEpochMilli());
        assertThat(t.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)).toEpochMilli());
    }

    /** The same bytes as AWS's documented example, which presigns with the SDK's earlier signer. */
    @Test
    void theSignatureMatchesTheDocumentedPresigner() {
        String ours = tokens("prod-cache", "prod-api", StaticCredentialsProvider.create(KEYS)).requestToken().getValue();

        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("http://prod-cache/")).appendRawQueryParameter("Action", "connect")
                .appendRawQueryParameter("User", "prod-api").build();
        @SuppressWarnings("deprecation")
        SdkHttpFullRequest documented = Aws4Signer.create().presign(request, Aws4PresignerParams.builder()
                .expirationTime(NOW.plus(Duration.ofSeconds(900))).awsCredentials(KEYS).signingName("elasticache")
                .signingRegion(Region.EU_WEST_1).signingClockOverride(CLOCK).build());

        // Same parameters and signature; the two signers only order the query differently.
        assertThat(parameters(ours)).isEqualTo(parameters(documented.getUri().toString().replace("http://", "")));
        assertThat(parameters(ours)).anyMatch(p -> p.startsWith("X-Amz-Signature="));
    }

    private static java.util.SortedSet<String> parameters(String token) {
        assertThat(token).startsWith("prod-cache/?");
        return new java.util.TreeSet<>(java.util.List.of(token.substring("prod-cache/?".length()).split("&")));
    }

    @Test
    void temporaryRoleCredentialsCarryTheirSessionToken() {
        String t = tokens("c", "u", StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIA1", "secret", "the/session+token")))
                .requestToken().getValue();

        assertThat(t).contains("X-Amz-Security-Token=the%2Fsession%2Btoken");
    }

    @Test
    void eachUserAndEachMomentSignsDifferently() {
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(KEYS);
        String a = tokens("c", "api", creds).requestToken().getValue();

        assertThat(tokens("c", "api", creds).requestToken().getValue()).isEqualTo(a);
        assertThat(tokens("c", "consumer", creds).requestToken().getValue()).isNotEqualTo(a);
        assertThat(new IamAuthTokens("c", "api", "eu-west-1", creds, Contract.get().redis().iamToken(),
                Clock.offset(CLOCK, Duration.ofSeconds(1))).requestToken().getValue()).isNotEqualTo(a);
    }

    @Test
    void blankNamesAreRefused() {
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(KEYS);
        assertThatThrownBy(() -> IamAuthTokens.of(" ", "u", "eu-west-1", creds)).hasMessageContaining("cacheName");
        assertThatThrownBy(() -> IamAuthTokens.of("c", "", "eu-west-1", creds)).hasMessageContaining("user");
    }
}
