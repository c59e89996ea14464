package dev.recsys.api.http;

import static dev.recsys.api.http.ApiRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import dev.recsys.common.contract.Contract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Caller identity in the handler, with the claims API Gateway's Cognito authorizer passes: an end user is answered only
 * for itself, a machine caller with the any-user scope for anyone, and nobody without a token (typed 401/403 JSON).
 */
class AccessTest {

    private static final Contract.Auth AUTH = Contract.get().api().auth();
    private static final Map<String, String> ALICE = Map.of("sub", "7d0c", "username", "alice", "token_use", "access",
            "scope", "openid " + AUTH.userScopeName(), "client_id", "web");
    private static final Map<String, String> MACHINE = Map.of("sub", "batch", "token_use", "access",
            "scope", AUTH.anyUserScopeName(), "client_id", "batch");

    private final TestApi api = new TestApi(Map.of("RECSYS_AUTH_MODE", "jwt"));

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void anEndUserIsAnsweredForItselfOnEveryUserRoute() {
        assertThat(api.invoke(Events.get("/users/alice/recommendations").claims(ALICE)).statusCode()).isEqualTo(200);
        assertThat(api.invoke(Events.post("/recommendations", "{\"user_id\":\"alice\"}").header("Content-Type", "application/json")
                .claims(ALICE)).statusCode()).isEqualTo(200);
        assertThat(api.invoke(Events.post("/rankings", "{\"user_id\":\"alice\",\"item_ids\":[\"i1\",\"i2\"]}")
                .header("Content-Type", "application/json").claims(ALICE)).statusCode()).isEqualTo(200);
        assertThat(api.invoke(Events.get("/items/i1/similar").query("user_id", "alice").claims(ALICE)).statusCode()).isEqualTo(200);
        assertThat(api.invoke(Events.get("/items/i1/similar").claims(ALICE)).statusCode()).as("no user named").isEqualTo(200);
    }

    @Test
    void anEndUserAskingForSomeoneElseGetsATyped403AndTheModelIsNotAsked() {
        int calls = api.model.calls();
        assertError(api.invoke(Events.get("/users/bob/recommendations").claims(ALICE)), 403, "forbidden");
        assertError(api.invoke(Events.post("/recommendations", "{\"user_id\":\"bob\"}").header("Content-Type", "application/json")
                .claims(ALICE)), 403, "forbidden");
        assertError(api.invoke(Events.post("/rankings", "{\"user_id\":\"bob\",\"item_ids\":[\"i1\"]}")
                .header("Content-Type", "application/json").claims(ALICE)), 403, "forbidden");
        assertError(api.invoke(Events.get("/items/i1/similar").query("user_id", "bob").claims(ALICE)), 403, "forbidden");
        assertThat(api.model.calls()).isEqualTo(calls);
    }

    @Test
    void aMachineCallerWithTheAnyUserScopeMayAskForAnyoneAndForTheExperimentReport() {
        assertThat(api.invoke(Events.get("/users/bob/recommendations").claims(MACHINE)).statusCode()).isEqualTo(200);
        assertThat(api.invoke(Events.get("/users/carol/recommendations").claims(MACHINE)).statusCode()).isEqualTo(200);
        assertThat(api.invoke(Events.get("/experiments").claims(MACHINE)).statusCode()).as("no table: 404, past the check")
                .isEqualTo(404);
        assertError(api.invoke(Events.get("/experiments").claims(ALICE)), 403, "forbidden");
    }

    @Test
    void noTokenIs401ButHealthAndPreflightNeedNone() {
        assertError(api.invoke(Events.get("/users/alice/recommendations")), 401, "unauthorized");
        assertError(api.invoke(Events.get("/experiments")), 401, "unauthorized");
        assertThat(api.invoke(Events.get("/health")).statusCode()).isEqualTo(200);
        assertThat(api.invoke(Events.of("OPTIONS", "/users/alice/recommendations").header("Origin", "https://shop.example.com"))
                .statusCode()).isEqualTo(204);
    }

    @Test
    void aTokenWithoutTheApisScopesOrWithoutAUserIsRefused() {
        assertError(api.invoke(Events.get("/users/alice/recommendations")
                .claims(Map.of("username", "alice", "scope", "openid", "token_use", "access"))), 403, "forbidden");
        assertError(api.invoke(Events.get("/users/alice/recommendations")
                .claims(Map.of("sub", "x", "scope", AUTH.userScopeName(), "token_use", "access"))), 403, "forbidden");
    }

    @Test
    void theClaimThatNamesTheUserIsConfigurable() {
        try (TestApi bySub = new TestApi(Map.of("RECSYS_AUTH_MODE", "jwt", "RECSYS_AUTH_USER_CLAIM", "sub"))) {
            assertThat(bySub.invoke(Events.get("/users/7d0c/recommendations").claims(ALICE)).statusCode()).isEqualTo(200);
            assertError(bySub.invoke(Events.get("/users/alice/recommendations").claims(ALICE)), 403, "forbidden");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", " none "})
    void modesParse(String mode) {
        assertThat(Access.parse(mode, null).userClaim()).isEqualTo("username");
    }

    @Test
    void identityIsCheckedUnlessADeploymentSaysNone() {
        assertThat(Access.parse(null, null).mode()).isEqualTo(Access.Mode.JWT);
        assertThatThrownBy(() -> Access.parse("open", null)).hasMessageContaining("jwt or none");
        assertThatThrownBy(() -> Access.parse("jwt", "bad claim!")).hasMessageContaining("invalid user claim");
    }
}
