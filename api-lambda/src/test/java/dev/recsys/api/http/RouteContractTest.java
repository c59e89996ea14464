package dev.recsys.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.Exposure;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The router's side of the contract's {@code api.routes}, which the gateway is built from too. */
class RouteContractTest {

    private static final Map<String, Contract.ApiRoute> CONTRACT = Contract.get().api().routes();

    @Test
    void theRouterServesExactlyTheContractsRoutesWithTheirMethodAndTemplate() {
        Map<String, String> served = new TreeMap<>();
        for (Route r : Route.values()) served.put(r.contractKey(), r.method() + " " + r.template());
        Map<String, String> declared = new TreeMap<>();
        CONTRACT.forEach((key, r) -> declared.put(key, r.method() + " " + r.template()));
        assertThat(served).isEqualTo(declared);
    }

    @Test
    void aRequestPathOfEachTemplateMatchesItsRoute() {
        for (Route r : Route.values()) {
            String path = r.template().replaceAll("\\{[^}]+}", "p-1");
            assertThat(Route.match(Requests.segments(path))).as(path).isEqualTo(r);
        }
        assertThat(Route.match(Requests.segments("/users/u-1"))).isNull();
    }

    @Test
    void theExposureRoutesAreTheOnesWhoseAnswersAreRecorded() {
        assertThat(Arrays.stream(Route.values()).filter(r -> CONTRACT.get(r.contractKey()).exposure()).map(Route::template))
                .containsExactlyInAnyOrderElementsOf(Exposure.ROUTES);
    }
}
