package dev.recsys.gatling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.recsys.api.http.Route;
import dev.recsys.common.contract.Contract;
import dev.recsys.local.api.LocalIssuer;
import dev.recsys.local.api.TokenAuthorizer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The simulation's token: taken by the client-credentials grant from the local issuer (the offline stand-in of the
 * Cognito token endpoint that `./recsys up` and the simulation's own rig run) and accepted by the adapter's authorizer;
 * refused grants fail at once; a short-lived token is replaced before it expires.
 */
class TokenSourceTest {

    private static final String SCOPE = Contract.get().api().auth().anyUserScopeName();

    @Test
    void theLocalIssuersTokenIsOneTheAdaptersAuthorizerAdmitsOnEveryRecommendationRoute() {
        try (LocalIssuer issuer = LocalIssuer.start();
             TokenSource tokens = TokenSource.clientCredentials(issuer.tokenUri(), LocalIssuer.MACHINE_CLIENT_ID, issuer.machineSecret(), SCOPE)) {
            TokenAuthorizer authorizer = TokenAuthorizer.of(issuer);
            for (Route route : List.of(Route.USER_RECOMMENDATIONS, Route.RECOMMEND, Route.SIMILAR_ITEMS, Route.RANKINGS)) {
                assertThat(authorizer.authorize(route, "Bearer " + tokens.current())).as(route.name()).isNotNull();
            }
            assertThat(tokens.fetches()).isEqualTo(1);
            assertThat(tokens.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(50))); // the issuer's 1 h
        }
    }

    @Test
    void aRefusedGrantFailsBeforeAnyLoadAndSaysWhy() {
        try (LocalIssuer issuer = LocalIssuer.start()) {
            assertThatThrownBy(() -> TokenSource.clientCredentials(issuer.tokenUri(), LocalIssuer.MACHINE_CLIENT_ID, "wrong-secret", SCOPE))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 400").hasMessageContaining("invalid_client")
                    .hasMessageNotContaining("wrong-secret");
            assertThatThrownBy(() -> TokenSource.clientCredentials(issuer.tokenUri(), LocalIssuer.MACHINE_CLIENT_ID, issuer.machineSecret(),
                    "recs/not-a-scope")).hasMessageContaining("invalid_scope");
        }
    }

    @Test
    void itSpeaksCognitosClientCredentialsGrantAndRefreshesBeforeExpiry() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        List<Long> fetchedAt = new CopyOnWriteArrayList<>();
        AtomicInteger issued = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/oauth2/token", exchange -> {
            try (exchange) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization") + " "
                        + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                fetchedAt.add(System.currentTimeMillis());
                respond(exchange.getResponseBody(), exchange, "{\"access_token\":\"token-" + issued.incrementAndGet()
                        + "\",\"expires_in\":2,\"token_type\":\"Bearer\"}");
            }
        });
        server.start();
        try (TokenSource tokens = TokenSource.clientCredentials(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/token"),
                "client-1", "s3cret", "recs/any-user recs/read")) {
            assertThat(tokens.current()).isEqualTo("token-1");
            long deadline = System.currentTimeMillis() + 5_000;
            while (tokens.fetches() < 3 && System.currentTimeMillis() < deadline) Thread.sleep(20);

            assertThat(tokens.fetches()).isGreaterThanOrEqualTo(3);
            assertThat(tokens.current()).isNotEqualTo("token-1");
            // Each next token was taken before the previous one expired (2 s lifetime: at 80 %, i.e. 1.6 s).
            for (int i = 1; i < fetchedAt.size(); i++) {
                assertThat(fetchedAt.get(i) - fetchedAt.get(i - 1)).isBetween(1_000L, 1_990L);
            }
        } finally {
            server.stop(0);
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString("client-1:s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(requests.get(0)).isEqualTo("POST " + basic + " application/x-www-form-urlencoded "
                + "grant_type=client_credentials&scope=recs%2Fany-user+recs%2Fread");
    }

    @Test
    void aGivenTokenIsSentAsIsAndNeverExpires() {
        try (TokenSource tokens = TokenSource.fixed("abc")) {
            assertThat(tokens.current()).isEqualTo("abc");
            assertThat(tokens.expiresAt()).isEqualTo(Instant.MAX);
            assertThat(tokens.fetches()).isZero();
        }
    }

    @Test
    void theRefreshComesAtFourFifthsOfTheLifetimeAndAtMostFiveMinutesEarly() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(TokenSource.refreshDelay(now, now.plusSeconds(3600))).isEqualTo(Duration.ofMinutes(55));
        assertThat(TokenSource.refreshDelay(now, now.plusSeconds(100))).isEqualTo(Duration.ofSeconds(80));
        assertThat(TokenSource.refreshDelay(now, now.minusSeconds(1))).isEqualTo(Duration.ZERO);
    }

    private static void respond(OutputStream out, com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        out.write(bytes);
        out.close();
    }
}
