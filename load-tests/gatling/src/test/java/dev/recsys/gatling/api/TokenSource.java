package dev.recsys.gatling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bearer token the simulation sends: either given (no refresh), or taken with the OAuth2 client-credentials grant
 * from a token endpoint (Cognito's {@code /oauth2/token}, or the local issuer the offline adapter verifies against):
 * {@code POST grant_type=client_credentials&scope=...} with the client's id and secret as HTTP Basic auth. The first
 * token is taken before the load starts (a wrong secret fails the run at once); a background thread takes the next one
 * before the current expires (at 80 % of its lifetime, at most 5 min early), so no request waits on the token endpoint
 * and none goes out with an expired token while the endpoint answers.
 */
public final class TokenSource implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_EARLY = Duration.ofMinutes(5);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private record Token(String value, Instant expiresAt) {}

    private final URI tokenUrl;
    private final String basicAuth;
    private final String form;
    private final HttpClient http;
    private final ScheduledExecutorService refresher;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile Token token;

    private TokenSource(String fixed) {
        this.tokenUrl = null;
        this.basicAuth = null;
        this.form = null;
        this.http = null;
        this.refresher = null;
        this.token = new Token(fixed, Instant.MAX);
    }

    private TokenSource(URI tokenUrl, String clientId, String clientSecret, String scope, HttpClient http) {
        this.tokenUrl = tokenUrl;
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.form = "grant_type=client_credentials" + (scope == null || scope.isBlank() ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        this.http = http;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "token-refresh");
            t.setDaemon(true);
            return t;
        });
        this.token = fetch(); // fails the simulation before any load when the grant is refused
        schedule(refreshDelay(token));
    }

    /** A token given as is (-Dapi.token): never refreshed. */
    public static TokenSource fixed(String token) {
        return new TokenSource(token);
    }

    /** Takes a token now and keeps one fresh. @throws IllegalStateException when the endpoint refuses the grant */
    public static TokenSource clientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope) {
        return new TokenSource(tokenUrl, clientId, clientSecret, scope,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** The current access token (never blocks). */
    public String current() {
        return token.value();
    }

    /** When the current token expires ({@link Instant#MAX} for a given one). */
    public Instant expiresAt() {
        return token.expiresAt();
    }

    /** Tokens taken from the endpoint so far. */
    public int fetches() {
        return fetches.get();
    }

    private Token fetch() {
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(10))
                .header("Authorization", basicAuth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("token endpoint " + tokenUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + tokenUrl + " for a token", e);
        }
        // Cognito's errors are a 400 with {"error":"invalid_client"} etc.: say which, never echo the secret.
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token endpoint " + tokenUrl + " refused the client-credentials grant: HTTP "
                    + response.statusCode() + " " + abbreviate(response.body()));
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("token endpoint " + tokenUrl + " answered no JSON: " + abbreviate(response.body()), e);
        }
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isEmpty()) throw new IllegalStateException("token endpoint " + tokenUrl + " answered no access_token");
        long expiresIn = body.path("expires_in").asLong(3600);
        fetches.incrementAndGet();
        return new Token(accessToken, Instant.now().plusSeconds(Math.max(1, expiresIn)));
    }

    /** 80 % of the lifetime left, but never more than {@link #MAX_EARLY} before expiry. */
    static Duration refreshDelay(Instant now, Instant expiresAt) {
        Duration life = Duration.between(now, expiresAt);
        if (life.isNegative() || life.isZero()) return Duration.ZERO;
        Duration early = life.dividedBy(5);
        if (early.compareTo(MAX_EARLY) > 0) early = MAX_EARLY;
        return life.minus(early);
    }

    private static Duration refreshDelay(Token t) {
        return refreshDelay(Instant.now(), t.expiresAt());
    }

    private void schedule(Duration delay) {
        refresher.schedule(this::refresh, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            Token next = fetch();
            token = next;
            schedule(refreshDelay(next));
        } catch (RuntimeException e) {
            // Keep the current token while it lasts and try again; after expiry requests fail (401) and the run says so.
            Duration left = Duration.between(Instant.now(), token.expiresAt());
            Duration retry = RETRY;
            if (!left.isNegative() && left.dividedBy(2).compareTo(RETRY) < 0) retry = left.dividedBy(2);
            if (retry.toMillis() < 100) retry = Duration.ofMillis(100);
            System.err.printf("token refresh failed (%s); current token expires in %d s, retrying in %d ms%n", e.getMessage(),
                    left.toSeconds(), retry.toMillis());
            schedule(retry);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public void close() {
        if (refresher != null) refresher.shutdownNow();
    }
}
