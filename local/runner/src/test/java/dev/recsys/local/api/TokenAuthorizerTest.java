package dev.recsys.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.json.Json;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.common.contract.Contract;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local gateway's Cognito-authorizer stand-in against the local issuer, over HTTP with the real handler behind it:
 * which tokens reach the handler (and with which claims) and which are the gateway's 401, as on AWS.
 */
class TokenAuthorizerTest {

    private static final Contract.Auth AUTH = Contract.get().api().auth();

    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalIssuer issuer = LocalIssuer.start();
    private final ApiApplication app = ApiApplication.create(ApiConfig.fromEnvironment(Map.of(
                    "RECSYS_CAMPAIGN_ARN", "arn:aws:personalize:us-east-1:000000000000:campaign/local",
                    "RECSYS_FALLBACK_STATIC_ITEMS", "p1,p2", "RECSYS_AUTH_MODE", "jwt")),
            LocalApiServerTest.ECHO, () -> null, UserHistory.ASSUME_KNOWN, RequestLog.NONE);
    private final LocalApiServer server = LocalApiServer.start(LocalApiOptions.open(0).withAuthorizer(TokenAuthorizer.of(issuer)),
            new ApiHandler(app));

    @AfterEach
    void close() {
        server.close();
        issuer.close();
        app.close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertGateway401(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("UnauthorizedException");
    }

    @Test
    void aUsersTokenReadsItsOwnRecommendationsWithOrWithoutBearer() throws Exception {
        String token = issuer.userToken("alice");
        HttpResponse<String> r = get("/users/alice/recommendations", "Bearer " + token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).path("items").path(0).path("item_id").asText()).isEqualTo("for-alice");
        assertThat(get("/users/alice/recommendations", token).statusCode()).isEqualTo(200);
    }

    @Test
    void aUsersTokenForAnotherUserPassesTheGatewayAndIsRefusedByTheHandler() throws Exception {
        HttpResponse<String> r = get("/users/bob/recommendations", "Bearer " + issuer.userToken("alice"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(r.body()).path("error").path("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void aMachineTokenFromTheTokenEndpointMayAskForAnyone() throws Exception {
        String basic = Base64.getEncoder().encodeToString((LocalIssuer.MACHINE_CLIENT_ID + ":" + issuer.machineSecret())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> t = http.send(HttpRequest.newBuilder(issuer.tokenUri()).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        String token = Json.MAPPER.readTree(t.body()).path("access_token").asText();
        assertThat(get("/users/bob/recommendations", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(get("/experiments", "Bearer " + token).statusCode()).as("past the authorizer and the handler's check")
                .isEqualTo(404);
    }

    @Test
    void theTokenEndpointRefusesAWrongSecretAndOtherGrants() throws Exception {
        String wrong = Base64.getEncoder().encodeToString((LocalIssuer.MACHINE_CLIENT_ID + ":nope").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> t = http.send(HttpRequest.newBuilder(issuer.tokenUri()).header("Authorization", "Basic " + wrong)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(t.statusCode()).isEqualTo(400);
        assertThat(t.body()).contains("invalid_client");
        HttpResponse<String> p = http.send(HttpRequest.newBuilder(issuer.tokenUri())
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=a&password=b")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(p.body()).contains("unsupported_grant_type");
    }

    @Test
    void missingExpiredForeignOrOutOfScopeTokensAreTheGateways401() throws Exception {
        assertGateway401(get("/users/alice/recommendations", null));
        assertGateway401(get("/users/alice/recommendations", "Bearer not-a-jwt"));
        // expired
        assertGateway401(get("/users/alice/recommendations", "Bearer " + issuer.token("web", Duration.ofSeconds(-120),
                Map.of("username", "alice", "scope", AUTH.userScopeName()))));
        // a user's token on a machine route: no any-user scope
        assertGateway401(get("/experiments", "Bearer " + issuer.userToken("alice")));
        // the right claims, signed by another key
        var foreign = new RSAKeyGenerator(2048).keyID("other").generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).subject("x").claim("client_id", "x")
                .claim("token_use", "access").claim("username", "alice").claim("scope", AUTH.anyUserScopeName())
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreign.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(foreign));
        assertGateway401(get("/users/alice/recommendations", "Bearer " + jwt.serialize()));
        // an ID token (token_use id) is not an access token
        assertGateway401(get("/users/alice/recommendations", "Bearer " + issuer.token("web", Duration.ofMinutes(5),
                Map.of("username", "alice", "scope", AUTH.userScopeName(), "token_use", "id"))));
    }

    @Test
    void healthAndPreflightNeedNoToken() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> pre = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/users/alice/recommendations"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pre.statusCode()).isEqualTo(204);
    }

    @Test
    void theHandlerSeesTheVerifiedClaimsAsTheAuthorizerPassesThem() {
        Map<String, String> claims = TokenAuthorizer.of(issuer).authorize(dev.recsys.api.http.Route.USER_RECOMMENDATIONS,
                "Bearer " + issuer.userToken("alice"));
        assertThat(claims).containsEntry("username", "alice").containsEntry("token_use", "access")
                .containsEntry("iss", issuer.issuer().toString()).containsKey("exp");
        assertThat(claims.get("scope")).contains(AUTH.userScopeName());
    }
}
