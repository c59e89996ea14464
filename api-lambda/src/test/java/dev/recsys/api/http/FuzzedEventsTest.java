package dev.recsys.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A fuzzed corpus of proxy events (random methods, paths, query strings, headers and bodies, from
 * plausible to hostile): not one may produce a 5xx, and every answer is JSON (items or a typed error).
 */
class FuzzedEventsTest {

    private static TestApi api;

    @BeforeContainer
    static void start() {
        api = new TestApi(Map.of());
    }

    @AfterContainer
    static void stop() {
        api.close();
    }

    @Property(tries = 3000, seed = "20261125")
    void noEventEverYieldsA5xx(@ForAll("events") String event) {
        ProxyResponse r = api.invokeRaw(event);
        assertThat(r.statusCode()).as(event).isBetween(200, 499);
        if (r.statusCode() != 204) {
            JsonNode body = TestApi.body(r);
            assertThat(body.has("items") || body.has("error") || body.has("status")).as(r.body()).isTrue();
        }
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Provide
    Arbitrary<String> events() {
        Arbitrary<String> method = Arbitraries.oneOf(Arbitraries.of(Events.methods()),
                Arbitraries.strings().ofMaxLength(8));
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.of("%", "%2", "%ZZ", "%2F", "..", ".", "%00", "u%20x", "ü", "a+b", "", "x".repeat(300)));
        Arbitrary<String> path = Arbitraries.oneOf(
                id.map(i -> "/users/" + i + "/recommendations"),
                id.map(i -> "/items/" + i + "/similar"),
                Arbitraries.of("/recommendations", "/rankings", "/health", "/trending", "/popular", "/", "", "//", "/users//recommendations",
                        "/health/", "/items/x/similar/extra"),
                Arbitraries.strings().all().ofMaxLength(100));
        Arbitrary<String> limit = Arbitraries.oneOf(Arbitraries.integers().between(-5, 120).map(String::valueOf),
                Arbitraries.strings().all().ofMaxLength(12), Arbitraries.just(null));
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                id.map(u -> "{\"user_id\":\"" + u.replace("\\", "").replace("\"", "") + "\",\"num_results\":5}"),
                limit.map(l -> "{\"user_id\":\"u1\",\"num_results\":" + l + "}"),
                Arbitraries.of("{\"user_id\":\"u1\",\"item_ids\":[\"a\",\"b\"]}", "{\"user_id\":null}", "[]", "null",
                        "{\"user_id\":{\"x\":1}}", "{\"user_id\":\"u1\",\"item_ids\":[null]}", "[".repeat(5000),
                        "{\"user_id\":\"u1\",\"num_results\":" + "9".repeat(500) + "}", "\uD800", "{\"a\":\"\\uZZZZ\"}",
                        "{\"user_id\":\"u1\",\"filter\":\"unseen\",\"filter_values\":{\"X\":[1]}}",
                        "{\"user_id\":\"u1\",\"filter\":[],\"metadata_columns\":[\"GENRES\",\"GENRES\"]}",
                        "{\"user_id\":\"u1\",\"item_ids\":[\"a\"],\"filter_values\":\"x\",\"metadata_columns\":{}}"),
                Arbitraries.just(null));
        Arbitrary<String> contentType = Arbitraries.of("application/json", "text/plain", "application/json; charset=utf-8",
                "APPLICATION/JSON", "", "multipart/form-data");
        Arbitrary<String> filterValues = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(100),
                Arbitraries.of("{\"GENRES\":[\"a\"]}", "{\"X\":1}", "[", "{}", "{\"$A\":\"b\"}", "[".repeat(3000),
                        "{\"A\":[" + "\"v\",".repeat(2000) + "\"v\"]}", "GENRES,PRICE", "TITLE"), Arbitraries.just(null));
        return Combinators.combine(method, path, limit, body, contentType, Arbitraries.of(true, false), id, filterValues)
                .as((m, p, l, b, ct, b64, filter, values) -> {
                    Events e = Events.of(m, p).header("Content-Type", ct).header("Origin", "https://shop.example.com");
                    if (l != null) {
                        e.query("limit", l);
                    }
                    if (b != null) {
                        e.body(b);
                    }
                    if (b64) {
                        e.base64();
                    }
                    if (filter.length() % 3 == 0) {
                        e.query("filter", filter.length() % 2 == 0 ? filter : "unseen");
                    }
                    if (values != null) {
                        e.query(values.length() % 2 == 0 ? "filter_values" : "metadata_columns", values);
                    }
                    return e.json();
                })
                .injectDuplicates(0.01)
                .edgeCases(c -> c.add(List.of("{}", "{\"httpMethod\":null}", "{\"path\":\"/health\"}",
                        "{\"httpMethod\":\"GET\",\"path\":\"/health\",\"headers\":null,\"requestContext\":null}")
                        .get(0)));
    }
}
