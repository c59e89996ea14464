package dev.recsys.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogLimits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream's third record kind: catalog upserts and deletes, parsed as strictly as interactions. */
class ItemParserTest {

    static final long NOW = 1_780_000_000_000L;
    static final RecordOrigin ORIGIN = new RecordOrigin("shardId-000000000001", "49650000000000000000001", 0, NOW - 1_000);
    final EventParser parser = new EventParser(EventLimits.DEFAULT, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    static CatalogItem upsert() {
        return new CatalogItem("item-000042", CatalogItem.Operation.UPSERT, NOW - 10, "books", "Acme & Sons", List.of("sci-fi", "space opera"),
                12.5, NOW - 86_400_000L * 400, true, Map.of("title", "Dune\nDeluxe", "image_url", "https://img.example/42.jpg"));
    }

    static final String GOOD = EventJson.toJson(upsert());

    ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), ORIGIN);
    }

    ParseResult.Rejected rejected(String json) {
        ParseResult r = parse(json);
        assertThat(r).as(json).isInstanceOf(ParseResult.Rejected.class);
        return (ParseResult.Rejected) r;
    }

    RejectReason reason(String json) {
        return rejected(json).reason();
    }

    CatalogItem accepted(String json) {
        ParseResult r = parse(json);
        assertThat(r).as(json).isInstanceOf(ParseResult.AcceptedItem.class);
        return ((ParseResult.AcceptedItem) r).item();
    }

    @Test
    void anUpsertAndADeleteRoundTripThroughTheirCanonicalJson() {
        assertThat(accepted(GOOD)).isEqualTo(upsert());
        CatalogItem delete = CatalogItem.delete("item-000042", NOW);
        assertThat(EventJson.toJson(delete)).isEqualTo("{\"record_type\":\"item\",\"operation\":\"delete\",\"item_id\":\"item-000042\",\"updated_at\":" + NOW + "}");
        assertThat(accepted(EventJson.toJson(delete))).isEqualTo(delete);
    }

    @Test
    void aMinimalUpsertNeedsOnlyIdTimesAndAvailability() {
        CatalogItem item = accepted("{\"record_type\":\"item\",\"operation\":\"upsert\",\"item_id\":\"i1\",\"updated_at\":\"2026-05-28T20:26:40Z\","
                + "\"creation_timestamp\":1700000000000,\"available\":false}");
        assertThat(item.updatedAt()).isEqualTo(Instant.parse("2026-05-28T20:26:40Z").toEpochMilli());
        assertThat(item.available()).isFalse();
        assertThat(item.category()).isNull();
        assertThat(item.price()).isNull();
        assertThat(item.genres()).isEmpty();
        assertThat(item.display()).isEmpty();
        // Explicit nulls are absent optionals, as for interactions.
        assertThat(accepted(GOOD.replace("\"price\":12.5", "\"price\":null")).price()).isNull();
        // Update and creation times may be old (a catalog is not a stream of recent events), never seconds.
        assertThat(accepted(GOOD.replace("\"updated_at\":" + (NOW - 10), "\"updated_at\":1100000000000")).updatedAt()).isEqualTo(1_100_000_000_000L);
        assertThat(accepted(GOOD.replace("\"price\":12.5", "\"price\":0")).price()).isZero();
    }

    @Test
    void theOperationAndTheRecordTypeAreChecked() {
        assertThat(reason(GOOD.replace("\"operation\":\"upsert\"", "\"operation\":\"merge\""))).isEqualTo(RejectReason.INVALID_OPERATION);
        assertThat(rejected(GOOD.replace("\"operation\":\"upsert\"", "\"operation\":\"UPSERT\"")).detail())
                .contains("operation must be \"upsert\" or \"delete\"").contains("UPSERT");
        assertThat(reason(GOOD.replace("\"operation\":\"upsert\",", ""))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(GOOD.replace("\"operation\":\"upsert\"", "\"operation\":1"))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(rejected(GOOD.replace("\"record_type\":\"item\"", "\"record_type\":\"items\"")).detail())
                .contains("\"item\"").contains("\"exposure\"");
    }

    @Test
    void idsFollowTheContractsIdRules() {
        assertThat(reason(GOOD.replace("\"item_id\":\"item-000042\",", ""))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(GOOD.replace("\"item-000042\"", "\"item 42\""))).isEqualTo(RejectReason.INVALID_ID);
        assertThat(reason(GOOD.replace("\"item-000042\"", "\"" + "i".repeat(EventLimits.MAX_ID_LENGTH + 1) + "\""))).isEqualTo(RejectReason.INVALID_ID);
        assertThat(reason(GOOD.replace("\"item-000042\"", "42"))).isEqualTo(RejectReason.WRONG_TYPE);
    }

    @Test
    void unknownFieldsAreRejectedNotDropped() {
        ParseResult.Rejected typo = rejected(GOOD.replace("\"category\":", "\"catgory\":"));
        assertThat(typo.reason()).isEqualTo(RejectReason.UNKNOWN_FIELD);
        assertThat(typo.detail()).contains("catgory").contains("category");
        // A delete carries nothing but its id and time: attributes on it are a producer bug.
        String delete = EventJson.toJson(CatalogItem.delete("i1", NOW));
        assertThat(reason(delete.replace("}", ",\"available\":false}"))).isEqualTo(RejectReason.UNKNOWN_FIELD);
        assertThat(reason(GOOD.replace("\"available\":true", "\"available\":true,\"event_type\":\"view\""))).isEqualTo(RejectReason.UNKNOWN_FIELD);
    }

    @Test
    void timesAreRequiredEpochMillisAndNotInTheFuture() {
        assertThat(reason(GOOD.replace("\"updated_at\":" + (NOW - 10) + ",", ""))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(GOOD.replace("\"updated_at\":" + (NOW - 10), "\"updated_at\":" + (NOW + 3_600_000))))
                .isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
        assertThat(rejected(GOOD.replace("\"updated_at\":" + (NOW - 10), "\"updated_at\":1780000000")).detail())
                .contains("updated_at").contains("epoch seconds");
        assertThat(reason(GOOD.replace("\"updated_at\":" + (NOW - 10), "\"updated_at\":1.5e12"))).isEqualTo(RejectReason.WRONG_TYPE);
        String created = "\"creation_timestamp\":" + (NOW - 86_400_000L * 400);
        assertThat(reason(GOOD.replace(created + ",", ""))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(GOOD.replace(created, "\"creation_timestamp\":\"yesterday\""))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace(created, "\"creation_timestamp\":" + (NOW + 3_600_000)))).isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void availabilityIsARequiredBoolean() {
        assertThat(reason(GOOD.replace(",\"available\":true", ""))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(GOOD.replace("\"available\":true", "\"available\":\"true\""))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace("\"available\":true", "\"available\":1"))).isEqualTo(RejectReason.WRONG_TYPE);
    }

    @Test
    void categoricalFieldsAreShortValuesSafeInFilterExpressions() {
        assertThat(reason(GOOD.replace("\"books\"", "\"books|music\""))).as("Personalize's multi-value separator")
                .isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace("\"books\"", "\"say \\\"hi\\\"\""))).as("a quote would end a filter value")
                .isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace("\"books\"", "\" books\""))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace("\"books\"", "\"\""))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace("\"books\"", "\"" + "b".repeat(CatalogLimits.MAX_CATEGORICAL_LENGTH + 1) + "\"")))
                .isEqualTo(RejectReason.FIELD_TOO_LARGE);
        assertThat(reason(GOOD.replace("\"books\"", "[\"books\"]"))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace("\"Acme & Sons\"", "true"))).isEqualTo(RejectReason.WRONG_TYPE);
    }

    @Test
    void genresAreABoundedListOfDistinctCategoricalValues() {
        String genres = "\"genres\":[\"sci-fi\",\"space opera\"]";
        assertThat(reason(GOOD.replace(genres, "\"genres\":\"sci-fi\""))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace(genres, "\"genres\":[\"sci-fi\",7]"))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace(genres, "\"genres\":[\"sci-fi\",null]"))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace(genres, "\"genres\":[\"sci-fi\",\"sci-fi\"]"))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace(genres, "\"genres\":[\"a|b\"]"))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        StringBuilder eleven = new StringBuilder("\"genres\":[");
        for (int i = 0; i <= CatalogLimits.MAX_GENRES; i++) eleven.append(i == 0 ? "" : ",").append("\"g").append(i).append('"');
        assertThat(reason(GOOD.replace(genres, eleven + "]"))).isEqualTo(RejectReason.TOO_MANY_FIELDS);
        assertThat(accepted(GOOD.replace(genres, "\"genres\":[]")).genres()).isEmpty();
    }

    @Test
    void priceIsAFiniteNonNegativeNumber() {
        assertThat(reason(GOOD.replace("\"price\":12.5", "\"price\":\"12.5\""))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace("\"price\":12.5", "\"price\":-1"))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace("\"price\":12.5", "\"price\":1e10"))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace("\"price\":12.5", "\"price\":1e400"))).as("overflows to infinity")
                .isEqualTo(RejectReason.INVALID_FIELD_VALUE);
    }

    @Test
    void displayFieldsAreABoundedFlatMapOfText() {
        String display = EventJson.toJson(upsert()).substring(GOOD.indexOf("\"display\":"));
        display = display.substring(0, display.length() - 1); // without the record's closing brace
        assertThat(reason(GOOD.replace(display, "\"display\":\"Dune\""))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace(display, "\"display\":{\"title\":{\"en\":\"Dune\"}}"))).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason(GOOD.replace(display, "\"display\":{\"title\":\"a\\u0000b\"}"))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(reason(GOOD.replace(display, "\"display\":{\"bad key\":\"x\"}"))).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(rejected(GOOD.replace(display, "\"display\":{\"title\":\"\"}")).detail()).contains("display.title is empty");
        ParseResult.Rejected long_ = rejected(GOOD.replace(display, "\"display\":{\"title\":\"" + "x".repeat(CatalogLimits.MAX_DISPLAY_VALUE_LENGTH + 1) + "\"}"));
        assertThat(long_.reason()).isEqualTo(RejectReason.FIELD_TOO_LARGE);
        assertThat(long_.detail()).contains("display.title").contains(String.valueOf(CatalogLimits.MAX_DISPLAY_VALUE_LENGTH));
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i <= CatalogLimits.MAX_DISPLAY_FIELDS; i++) many.put("f" + i, "v");
        StringBuilder tooMany = new StringBuilder("\"display\":{");
        many.forEach((k, v) -> tooMany.append(tooMany.length() > 11 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
        assertThat(reason(GOOD.replace(display, tooMany + "}"))).isEqualTo(RejectReason.TOO_MANY_FIELDS);
        assertThat(accepted(GOOD.replace(display, "\"display\":{\"title\":\"x\\ty\"}")).display()).containsEntry("title", "x\ty");
    }

    @Test
    void anItemRecordLargerThanTheRecordLimitIsRejectedBeforeParsing() {
        String huge = GOOD.replace("\"title\":\"Dune\\nDeluxe\"", "\"title\":\"" + "x".repeat(EventLimits.DEFAULT.maxRecordBytes()) + "\"");
        assertThat(reason(huge)).isEqualTo(RejectReason.RECORD_TOO_LARGE);
    }
}
