package dev.recsys.local.api;

import java.util.List;
import java.util.Set;

/**
 * How the local gateway behaves, mirroring the API Gateway stage Terraform deploys.
 *
 * @param port              0 for a free port; always bound to 127.0.0.1
 * @param stage             the stage name put in {@code requestContext.stage} and {@code requestContext.path}
 * @param apiKeys           accepted {@code x-api-key} values; empty = no key required (like a method without apiKeyRequired).
 *                          Never asked of a CORS preflight (OPTIONS on a user or machine route), like the deployed OPTIONS methods
 * @param rateLimitPerSecond usage-plan style throttle per API key (or per client without keys); 0 = off
 * @param burst             token-bucket burst for the throttle
 * @param threads           request threads
 * @param authorizer        the routes' Cognito authorizer stand-in (on each route's own method only); null = no authorizer
 * @param gatewayErrorOrigin the Access-Control-Allow-Origin of the gateway's own errors (401, 403, 429, 413, 502), as the
 *                          stage's gateway responses set it ({@link #gatewayErrorOrigin(List)}); null = none
 */
public record LocalApiOptions(int port, String stage, Set<String> apiKeys, double rateLimitPerSecond, int burst, int threads,
                              TokenAuthorizer authorizer, String gatewayErrorOrigin) {

    /** API Gateway's payload limit. */
    public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    public LocalApiOptions {
        apiKeys = Set.copyOf(apiKeys);
        if (port < 0 || port > 65535 || threads < 1 || rateLimitPerSecond < 0 || burst < 0) {
            throw new IllegalArgumentException("invalid local API options");
        }
    }

    public static LocalApiOptions open(int port) {
        return new LocalApiOptions(port, "local", Set.of(), 0, 0, 16, null, null);
    }

    public LocalApiOptions withApiKeys(Set<String> keys) {
        return new LocalApiOptions(port, stage, keys, rateLimitPerSecond, burst, threads, authorizer, gatewayErrorOrigin);
    }

    public LocalApiOptions withRateLimit(double perSecond, int burstSize) {
        return new LocalApiOptions(port, stage, apiKeys, perSecond, burstSize, threads, authorizer, gatewayErrorOrigin);
    }

    public LocalApiOptions withThreads(int n) {
        return new LocalApiOptions(port, stage, apiKeys, rateLimitPerSecond, burst, n, authorizer, gatewayErrorOrigin);
    }

    public LocalApiOptions withAuthorizer(TokenAuthorizer a) {
        return new LocalApiOptions(port, stage, apiKeys, rateLimitPerSecond, burst, threads, a, gatewayErrorOrigin);
    }

    /** The handler's CORS origins (RECSYS_CORS_ORIGINS), for the gateway's own errors as the stage answers them. */
    public LocalApiOptions withCorsOrigins(List<String> origins) {
        return new LocalApiOptions(port, stage, apiKeys, rateLimitPerSecond, burst, threads, authorizer, gatewayErrorOrigin(origins));
    }

    /**
     * What the deployed stage's DEFAULT_4XX / DEFAULT_5XX gateway responses put in Access-Control-Allow-Origin
     * (terraform/modules/serving api.tf, gateway_error_origin): a gateway response holds one static value, so only when
     * the API allows any origin or exactly one; with several, none (a browser then sees the error as a network failure).
     */
    public static String gatewayErrorOrigin(List<String> origins) {
        if (origins.contains("*")) return "*";
        return origins.size() == 1 ? origins.get(0) : null;
    }
}
