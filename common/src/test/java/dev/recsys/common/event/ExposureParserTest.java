package dev.recsys.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream's second record kind, and the interactions that point back at it. */
class ExposureParserTest {

    static final long NOW = 1_780_000_000_000L;
    static final RecordOrigin ORIGIN = new RecordOrigin("shardId-000000000001", "49650000000000000000001", 0, NOW - 1_000);
    final EventParser parser = new EventParser(EventLimits.DEFAULT, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    static Exposure exposure(List<String> items) {
        return new Exposure("rec-1", NOW - 50, Exposure.USER_RECOMMENDATIONS, "recs-ab-1", "a",
                "arn:aws:personalize:us-east-1:000000000000:campaign/recsys-a", "run-7", "RID-9", "personalize", null,
                "user-1", null, items, true);
    }

    ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), ORIGIN);
    }

    RejectReason reason(String json) {
        ParseResult r = parse(json);
        assertThat(r).isInstanceOf(ParseResult.Rejected.class);
        return ((ParseResult.Rejected) r).reason();
    }

    @Test
    void anExposureRoundTripsThroughItsCanonicalJson() {
        Exposure x = exposure(List.of("item-1", "item-2", "item-3"));
        ParseResult r = parse(EventJson.toJson(x));
        assertThat(r).isInstanceOf(ParseResult.AcceptedExposure.class);
        assertThat(((ParseResult.AcceptedExposure) r).exposure()).isEqualTo(x);

        Exposure anonymousFallback = new Exposure("rec-2", NOW, Exposure.SIMILAR_ITEMS, "recs-ab-1", "similar", null, "static",
                null, "fallback", "no_campaign", null, "item-9", List.of(), false);
        assertThat(((ParseResult.AcceptedExposure) parse(EventJson.toJson(anonymousFallback))).exposure()).isEqualTo(anonymousFallback);
    }

    @Test
    void badExposuresAreRejectedWithTypedReasons() {
        String good = EventJson.toJson(exposure(List.of("item-1")));
        assertThat(reason(good.replace("\"recommendation_id\":\"rec-1\",", ""))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(good.replace("/users/{userId}/recommendations", "/admin"))).isEqualTo(RejectReason.INVALID_ROUTE);
        assertThat(reason(good.replace("\"items\":[\"item-1\"]", "\"items\":[\"bad id\"]"))).isEqualTo(RejectReason.INVALID_ITEMS);
        assertThat(reason(good.replace("\"items\":[\"item-1\"]", "\"items\":\"item-1\""))).isEqualTo(RejectReason.INVALID_ITEMS);
        assertThat(reason(good.replace("\"source\":\"personalize\"", "\"source\":\"guess\""))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(good.replace("\"timestamp\":" + (NOW - 50) + ",", ""))).as("exposures have no arrival-time fallback")
                .isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(good.replace("\"cached\":true", "\"cached\":\"yes\""))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(good.replace("\"record_type\":\"exposure\"", "\"record_type\":\"impression\"")))
                .isEqualTo(RejectReason.UNKNOWN_RECORD_TYPE);
    }

    @Test
    void exposuresMayBeLargerThanInteractionsButAreBoundedToo() {
        List<String> ranked = new ArrayList<>();
        for (int i = 0; i < Exposure.MAX_ITEMS; i++) ranked.add("item-" + "x".repeat(80) + "-" + i);
        String big = EventJson.toJson(exposure(ranked));
        assertThat(big.length()).isGreaterThan(EventLimits.DEFAULT.maxRecordBytes());
        assertThat(parse(big)).isInstanceOf(ParseResult.AcceptedExposure.class);

        ranked.add("one-too-many");
        assertThat(reason(EventJson.toJson(exposure(ranked)))).isIn(RejectReason.INVALID_ITEMS, RejectReason.RECORD_TOO_LARGE);
        String bigInteraction = "{\"user_id\":\"u\",\"item_id\":\"i\",\"event_type\":\"v\",\"pad\":\"" + "x".repeat(20_000) + "\"}";
        assertThat(reason(bigInteraction)).as("interactions keep their 16 KiB limit").isEqualTo(RejectReason.RECORD_TOO_LARGE);
    }

    @Test
    void anInteractionCarriesTheRecommendationItCameFrom() {
        InteractionEvent click = new InteractionEvent("e-1", "user-1", "item-2", "click", null, NOW - 10, null, Map.of(), "rec-1");
        ParseResult r = parse(EventJson.toJson(click));
        assertThat(((ParseResult.Accepted) r).event()).isEqualTo(click);
        assertThat(reason("{\"user_id\":\"u\",\"item_id\":\"i\",\"event_type\":\"click\",\"recommendation_id\":\"not valid\"}"))
                .isEqualTo(RejectReason.INVALID_ID);
        InteractionEvent plain = ((ParseResult.Accepted) parse("{\"user_id\":\"u\",\"item_id\":\"i\",\"event_type\":\"click\"}")).event();
        assertThat(plain.recommendationId()).isNull();
    }
}
