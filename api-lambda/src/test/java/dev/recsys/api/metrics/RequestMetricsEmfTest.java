package dev.recsys.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.Answer;
import dev.recsys.api.core.CacheOutcome;
import dev.recsys.api.core.FallbackReason;
import dev.recsys.api.core.Served;
import dev.recsys.api.json.Json;
import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.Exposure;
import dev.recsys.local.stack.metrics.EmfStandIn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The EMF documents themselves, built and serialised by Powertools and aws-embedded-metrics as on Lambda (where
 * they go to stdout; here to a list): the dimension sets Terraform's alarms name, and nothing else.
 */
class RequestMetricsEmfTest {

    @Test
    void aFallbackAnswerBecomesOneDocumentPerDimensionSet() throws Exception {
        List<String> lines = new ArrayList<>();
        Answer answer = new Answer("u-1", null, List.of(), "rid-1", null, "b", null, "run-7", Answer.FALLBACK,
                FallbackReason.BACKEND_5XX, false);
        new RequestMetrics("recsys-test/api", EmfStandIn.provider(lines::add)).finished("/users/{userId}/recommendations", 200,
                12.5, "req-emf-1", new Served(answer, CacheOutcome.MISS, "OPEN", true));
        assertThat(lines).hasSize(3);
        List<JsonNode> docs = new ArrayList<>();
        for (String l : lines) docs.add(Json.MAPPER.readTree(l));

        JsonNode byRoute = only(docs, "Route");
        assertThat(byRoute.get("Route").asText()).isEqualTo("/users/{userId}/recommendations");
        assertThat(byRoute.get("Latency").asDouble()).isEqualTo(12.5);
        assertThat(byRoute.get("CacheMiss").asDouble()).isEqualTo(1);
        assertThat(byRoute.get("CacheHit").asDouble()).isZero();
        assertThat(byRoute.get("ExposureDropped").asDouble()).isZero();
        assertThat(byRoute.get("request_id").asText()).isEqualTo("req-emf-1");
        assertThat(byRoute.get("breaker_state").asText()).isEqualTo("OPEN");
        JsonNode directive = byRoute.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("recsys-test/api");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Route\"]]");
        List<String> names = new ArrayList<>();
        directive.get("Metrics").forEach(m -> names.add(m.get("Name").asText()));
        assertThat(names).contains("Latency", "Requests", "ClientErrors", "CacheHit", "CacheMiss", "CacheError", "ExposureDropped",
                "BreakerOpen");
        assertThat(byRoute.get("BreakerOpen").asDouble()).isEqualTo(1);

        assertThat(only(docs, "FallbackCause").get("FallbackCause").asText()).isEqualTo("backend_5xx");
        assertThat(only(docs, "FallbackCause").at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"FallbackCause\"]]");
        assertThat(only(docs, "Variant").get("VariantExposure").asDouble()).isEqualTo(1);
        for (JsonNode d : docs) assertThat(d.at("/_aws/CloudWatchMetrics/0/Dimensions/0").size()).as(d.toString()).isEqualTo(1);
    }

    /** What Terraform alarms on per exposure route: the contract's metric, under the contract's dimension alone. */
    @Test
    void aDroppedExposureIsCountedUnderTheContractsNames() throws Exception {
        List<String> lines = new ArrayList<>();
        Answer answer = new Answer("u-1", null, List.of(), "rid-2", null, null, null, "run-7", Answer.FALLBACK,
                FallbackReason.BACKEND_5XX, false);
        new RequestMetrics("recsys-test/api", EmfStandIn.provider(lines::add)).finished(Exposure.RANKINGS, 200, 3.0, "req-emf-2",
                new Served(answer, CacheOutcome.BYPASS, null, false));
        Contract.Metrics names = Contract.get().metrics();
        JsonNode byRoute = only(lines.stream().map(RequestMetricsEmfTest::json).toList(), names.apiRouteDimension());
        assertThat(byRoute.get(names.apiRouteDimension()).asText()).isEqualTo(Exposure.RANKINGS);
        assertThat(byRoute.get(names.exposureDropped()).asDouble()).isEqualTo(1);
        assertThat(byRoute.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"" + names.apiRouteDimension() + "\"]]");
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static JsonNode only(List<JsonNode> docs, String dimension) {
        List<JsonNode> with = docs.stream().filter(d -> d.has(dimension)).toList();
        assertThat(with).as("documents with " + dimension + ": " + docs).hasSize(1);
        return with.get(0);
    }
}
