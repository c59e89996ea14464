package dev.recsys.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.Exposure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void theOpenApiFileDocumentsEveryRouteWithItsMethodAndNoOther() throws Exception {
        String yaml = Files.readString(Path.of("../docs/api/openapi.yaml"));
        Map<String, String> documented = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^  (/\\S*):\\n    (get|post|put|delete|patch):").matcher(yaml);
        while (m.find()) documented.put(m.group(1), m.group(2).toUpperCase(java.util.Locale.ROOT));
        Map<String, String> served = new TreeMap<>();
        for (Route r : Route.values()) served.put(r.template(), r.method());
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void theExposureRoutesAreTheOnesWhoseAnswersAreRecorded() {
        assertThat(Arrays.stream(Route.values()).filter(r -> CONTRACT.get(r.contractKey()).exposure()).map(Route::template))
                .containsExactlyInAnyOrderElementsOf(Exposure.ROUTES);
    }
}
