package dev.recsys.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.http.Route;
import dev.recsys.api.json.Json;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.common.contract.Contract;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local gateway with everything on (API key + authorizer), as {@code recsys up} runs it, against the deployed
 * gateway's preflight methods (terraform/modules/serving/api.tf: an OPTIONS method with authorization NONE and
 * api_key_required false on the resource of every user and machine route, proxied to the handler): a preflight needs
 * neither key nor token and is answered by the handler; the routes' own methods still need both.
 */
class PreflightGatewayTest {

    static final String ORIGIN = "http://app.example.test:8080";
    private static final String KEY = "k-1";

    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalIssuer issuer = LocalIssuer.start();
    private final ApiApplication app = ApiApplication.create(ApiConfig.fromEnvironment(Map.of(
                    "RECSYS_CAMPAIGN_ARN", "arn:aws:personalize:us-east-1:000000000000:campaign/local",
                    "RECSYS_FALLBACK_STATIC_ITEMS", "p1,p2", "RECSYS_AUTH_MODE", "jwt", "RECSYS_CORS_ORIGINS", ORIGIN)),
            LocalApiServerTest.ECHO, () -> null, UserHistory.ASSUME_KNOWN, RequestLog.NONE);
    /** Every proxy event that reached the handler. */
    private final List<JsonNode> reached = new CopyOnWriteArrayList<>();
    private final LocalApiServer server = LocalApiServer.start(LocalApiOptions.open(0).withApiKeys(Set.of(KEY))
            .withAuthorizer(TokenAuthorizer.of(issuer)).withCorsOrigins(List.of(ORIGIN)), recording(new ApiHandler(app)));

    private com.amazonaws.services.lambda.runtime.RequestStreamHandler recording(ApiHandler handler) {
        return (in, out, ctx) -> {
            byte[] event = in.readAllBytes();
            reached.add(Json.MAPPER.readTree(event));
            handler.handleRequest(new ByteArrayInputStream(event), out, ctx);
        };
    }

    @AfterEach
    void close() {
        server.close();
        issuer.close();
        app.close();
    }

    /** The routes that get a preflight method on API Gateway: every user and machine route. */
    static List<Route> preflightRoutes() {
        List<Route> routes = Arrays.stream(Route.values()).filter(r -> r.auth() != Contract.Caller.NONE).toList();
        assertThat(routes).as("the contract has user and machine routes").hasSizeGreaterThanOrEqualTo(2);
        return routes;
    }

    /** A concrete path of the route's template, {@code {param}} → alice. */
    static String pathOf(Route route) {
        return route.template().replaceAll("\\{[^}]+}", "alice");
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        boolean withBody = method.equals("POST");
        if (withBody) b.header("Content-Type", "application/json");
        b.method(method, withBody ? HttpRequest.BodyPublishers.ofString("{\"user_id\":\"alice\",\"item_ids\":[\"i1\"]}")
                : HttpRequest.BodyPublishers.noBody());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> preflightHeaders(String origin, Route route) {
        return Map.of("Origin", origin, "Access-Control-Request-Method", route.method(),
                "Access-Control-Request-Headers", "authorization,x-api-key");
    }

    @Test
    void aPreflightOnEveryUserAndMachineRouteReachesTheHandlerWithoutKeyOrToken() throws Exception {
        for (Route route : preflightRoutes()) {
            reached.clear();
            HttpResponse<String> pre = send("OPTIONS", pathOf(route), preflightHeaders(ORIGIN, route));
            assertThat(pre.statusCode()).as("OPTIONS %s: %s", pathOf(route), pre.body()).isEqualTo(204);
            assertThat(reached).as("the handler answered the preflight of %s", route).hasSize(1);
            JsonNode event = reached.get(0);
            assertThat(event.get("httpMethod").asText()).isEqualTo("OPTIONS");
            assertThat(event.get("resource").asText()).isEqualTo(route.template());
            assertThat(event.at("/requestContext/identity/apiKey").isNull() || event.at("/requestContext/identity/apiKey").isMissingNode())
                    .as("no API key on a preflight: %s", event.at("/requestContext/identity")).isTrue();
            assertThat(event.at("/requestContext/authorizer/claims").isMissingNode() || event.at("/requestContext/authorizer/claims").isNull())
                    .as("no authorizer on a preflight").isTrue();
            assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
            assertThat(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains(route.method());
            assertThat(pre.headers().firstValue("Allow")).hasValue(route.method() + ", OPTIONS");
        }
    }

    @Test
    void aPreflightFromAnotherOriginIsAnsweredWithoutCorsHeaders() throws Exception {
        for (Route route : preflightRoutes()) {
            HttpResponse<String> pre = send("OPTIONS", pathOf(route), preflightHeaders("http://elsewhere.example.test", route));
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).as("OPTIONS %s", pathOf(route)).isEmpty();
            assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        }
    }

    @Test
    void theRoutesOwnMethodsStillNeedTheKeyAndTheToken() throws Exception {
        String machine = "Bearer " + issuer.machineToken();
        for (Route route : preflightRoutes()) {
            String path = pathOf(route);
            reached.clear();
            HttpResponse<String> nothing = send(route.method(), path, Map.of("Origin", ORIGIN));
            assertThat(nothing.statusCode()).as("%s %s without token and key", route.method(), path).isEqualTo(401);
            HttpResponse<String> keyOnly = send(route.method(), path, Map.of("Origin", ORIGIN, "x-api-key", KEY));
            assertThat(keyOnly.statusCode()).as("%s %s without token", route.method(), path).isEqualTo(401);
            HttpResponse<String> tokenOnly = send(route.method(), path, Map.of("Origin", ORIGIN, "Authorization", machine));
            assertThat(tokenOnly.statusCode()).as("%s %s without key", route.method(), path).isEqualTo(403);
            assertThat(tokenOnly.body()).isEqualTo("{\"message\":\"Forbidden\"}");
            assertThat(reached).as("no request without key and token reached the handler").isEmpty();

            HttpResponse<String> both = send(route.method(), path, Map.of("Origin", ORIGIN, "x-api-key", KEY, "Authorization", machine));
            assertThat(reached).as("%s %s with key and token reaches the handler", route.method(), path).hasSize(1);
            assertThat(both.statusCode()).as(both.body()).isNotIn(401, 403, 502);
            assertThat(both.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        }
        HttpResponse<String> own = send("GET", "/users/alice/recommendations", Map.of("x-api-key", KEY,
                "Authorization", "Bearer " + issuer.userToken("alice")));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(own.body()).at("/items/0/item_id").asText()).isEqualTo("for-alice");
    }

    @Test
    void onlyOptionsIsExemptAndOnlyWhereTheGatewayHasAPreflightMethod() throws Exception {
        reached.clear();
        // another method on a user route is no preflight: the key is still checked
        assertThat(send("DELETE", "/users/alice/recommendations", Map.of("Origin", ORIGIN)).statusCode()).isEqualTo(403);
        // /health has no authorizer, so no preflight method on API Gateway: OPTIONS there is not exempt either
        assertThat(send("OPTIONS", "/health", Map.of("Origin", ORIGIN, "Access-Control-Request-Method", "GET")).statusCode())
                .isEqualTo(403);
        // nor on a path that is no route
        assertThat(send("OPTIONS", "/nope/x", Map.of("Origin", ORIGIN, "Access-Control-Request-Method", "GET")).statusCode())
                .isEqualTo(403);
        assertThat(reached).isEmpty();
        assertThat(send("GET", "/health", Map.of("x-api-key", KEY)).statusCode()).isEqualTo(200);
    }

    @Test
    void theGatewaysOwnErrorsCarryTheAllowedOriginSoABrowserCanReadThem() throws Exception {
        HttpResponse<String> noToken = send("GET", "/users/alice/recommendations", Map.of("Origin", ORIGIN, "x-api-key", KEY));
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        HttpResponse<String> noKey = send("GET", "/health", Map.of("Origin", ORIGIN));
        assertThat(noKey.statusCode()).isEqualTo(403);
        assertThat(noKey.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(reached).isEmpty();
    }

    @Test
    void gatewayErrorsNameAnOriginOnlyWhenOneStaticValueCanSayIt() {
        // as modules/serving api.tf gateway_error_origin: a gateway response header is one static value
        assertThat(LocalApiOptions.gatewayErrorOrigin(List.of())).isNull();
        assertThat(LocalApiOptions.gatewayErrorOrigin(List.of("https://app.example.com"))).isEqualTo("https://app.example.com");
        assertThat(LocalApiOptions.gatewayErrorOrigin(List.of("https://a.example.com", "https://b.example.com"))).isNull();
        assertThat(LocalApiOptions.gatewayErrorOrigin(List.of("https://a.example.com", "*"))).isEqualTo("*");
        assertThat(LocalApiOptions.open(0).gatewayErrorOrigin()).isNull();
    }
}
