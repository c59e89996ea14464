package dev.recsys.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.catalog.CatalogUser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The stream's fourth record kind: user metadata upserts and deletes, with the item records' rules. */
class UserParserTest {

    static final long NOW = 1_780_000_000_000L;
    static final RecordOrigin ORIGIN = new RecordOrigin("shardId-000000000001", "49650000000000000000001", 0, NOW - 1_000);
    final EventParser parser = new EventParser(EventLimits.DEFAULT, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), ORIGIN);
    }

    CatalogUser accepted(String json) {
        ParseResult r = parse(json);
        assertThat(r).as(json).isInstanceOf(ParseResult.AcceptedUser.class);
        return ((ParseResult.AcceptedUser) r).user();
    }

    ParseResult.Rejected rejected(String json) {
        ParseResult r = parse(json);
        assertThat(r).as(json).isInstanceOf(ParseResult.Rejected.class);
        return (ParseResult.Rejected) r;
    }

    @Test
    void anUpsertAndADeleteRoundTripThroughTheirCanonicalJson() {
        CatalogUser u = CatalogUser.upsert("user-7", NOW - 5, "cluster-3", "plus", 34);
        assertThat(EventJson.toJson(u)).isEqualTo("{\"record_type\":\"user\",\"operation\":\"upsert\",\"user_id\":\"user-7\",\"updated_at\":"
                + (NOW - 5) + ",\"segment\":\"cluster-3\",\"membership\":\"plus\",\"age\":34}");
        assertThat(accepted(EventJson.toJson(u))).isEqualTo(u);
        CatalogUser d = CatalogUser.delete("user-7", NOW);
        assertThat(accepted(EventJson.toJson(d))).isEqualTo(d);
        CatalogUser bare = accepted("{\"record_type\":\"user\",\"operation\":\"upsert\",\"user_id\":\"u1\",\"updated_at\":\"2026-05-28T20:26:40Z\"}");
        assertThat(bare).isEqualTo(CatalogUser.upsert("u1", 1_780_000_000_000L, null, null, null));
    }

    @Test
    void badUserRecordsAreRejectedWithTheirReason() {
        String head = "{\"record_type\":\"user\",\"operation\":\"upsert\",\"user_id\":\"u1\",\"updated_at\":" + NOW;
        assertThat(rejected(head + ",\"age\":-1}").reason()).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(rejected(head + ",\"age\":151}").detail()).contains("age must be in 0..150");
        assertThat(rejected(head + ",\"age\":30.5}").reason()).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(rejected(head + ",\"age\":\"30\"}").reason()).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(rejected(head + ",\"age\":99999999999}").reason()).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(rejected(head + ",\"segment\":\"a|b\"}").reason()).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(rejected(head + ",\"membership\":7}").reason()).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(rejected(head + ",\"email\":\"a@b.c\"}").reason()).as("no personal data beyond the schema")
                .isEqualTo(RejectReason.UNKNOWN_FIELD);
        assertThat(rejected("{\"record_type\":\"user\",\"operation\":\"delete\",\"user_id\":\"u1\",\"updated_at\":" + NOW + ",\"age\":3}").reason())
                .as("a delete carries nothing else").isEqualTo(RejectReason.UNKNOWN_FIELD);
        assertThat(rejected("{\"record_type\":\"user\",\"operation\":\"merge\",\"user_id\":\"u1\",\"updated_at\":" + NOW + "}").reason())
                .isEqualTo(RejectReason.INVALID_OPERATION);
        assertThat(rejected("{\"record_type\":\"user\",\"operation\":\"upsert\",\"updated_at\":" + NOW + "}").reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejected("{\"record_type\":\"user\",\"operation\":\"upsert\",\"user_id\":\"u1\"}").reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(rejected("{\"record_type\":\"person\"}").detail()).contains("\"user\"");
    }

    @Test
    void revisionsOrderByTimeThenDeleteThenContent() {
        CatalogUser a = CatalogUser.upsert("u", 10, "s", null, null);
        CatalogUser b = CatalogUser.upsert("u", 10, "t", null, null);
        CatalogUser later = CatalogUser.upsert("u", 11, "s", null, null);
        CatalogUser gone = CatalogUser.delete("u", 10);
        assertThat(a.revision()).isNotEqualTo(b.revision()).isLessThan(gone.revision()).isLessThan(later.revision());
        assertThat(b.revision()).isLessThan(gone.revision());
        assertThat(a.revision()).isEqualTo(CatalogUser.upsert("u", 10, "s", null, null).revision());
        assertThat(CatalogUser.upsert("u", 1_000_000_000_000L, null, null, null).revision())
                .isGreaterThan(CatalogUser.upsert("u", 999_999_999_999L, null, null, null).revision());
    }
}
