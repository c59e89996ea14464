package dev.recsys.local.stack;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where the running emulators listen. A URI is {@code null} when its service was not started.
 *
 * @param kinesis      kinesis-mock TLS port (HTTP/2 with ALPN, self-signed certificate), for the KCL
 * @param kinesisPlain kinesis-mock plain HTTP/1.1 port
 * @param dynamodb     dynalite
 * @param s3           S3Proxy; clients must use path-style addressing
 * @param redisUri     {@code redis://127.0.0.1:P}
 */
public record Endpoints(URI kinesis, URI kinesisPlain, URI dynamodb, URI s3, URI redisUri,
                        String region, String accountId, String accessKey, String secretKey) {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "localsecret";
    /** The deployment name offline: the cache's users are {@code recsys-local-<suffix>} (contract {@code redis.users}). */
    public static final String DEPLOYMENT = "recsys-local";

    /** The cache's name, which IAM tokens are signed for (a replication group id on AWS). */
    public String redisCacheName() {
        return DEPLOYMENT + "-cache";
    }

    /** The cache user of a component ({@code api}, {@code consumer}), as redis-server knows it. */
    public String redisUser(String component) {
        return dev.recsys.common.contract.Contract.get().redis().user(component).userName(DEPLOYMENT);
    }

    public Region awsRegion() {
        return Region.of(region);
    }

    public StaticCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** Host and port of the kinesis-mock TLS endpoint, as the KPL wants them. */
    public int kinesisTlsPort() {
        return require(kinesis, Service.KINESIS).getPort();
    }

    public int redisPort() {
        return require(redisUri, Service.REDIS).getPort();
    }

    static URI require(URI uri, Service service) {
        if (uri == null) {
            throw new IllegalStateException(service + " was not started in this stack");
        }
        return uri;
    }
}
