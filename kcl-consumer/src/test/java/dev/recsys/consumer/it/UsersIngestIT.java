package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.catalog.UserFields;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.RejectReason;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.keys.UserKeys;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * User records through Kinesis beside interactions and item records: the synthetic users, then updates, deletes, late
 * upserts (older than what the table holds, some after a delete), a delete and an upsert of the same millisecond,
 * producer retries and bad user records. The users table ends with each user's latest record, deleted users stay
 * tombstones, {@code raw/users/} holds every accepted record as often as it was sent under its update hour, and each
 * bad record is dead-lettered with its reason. Then another KCL application replays the whole stream into the same
 * tables after newer updates were sent: the replay applies only those, and changes nothing else.
 */
@WithLocalStack
class UsersIngestIT {

    @Test
    void usersLandInTheUsersTableAndTheLakeAndAReplayChangesNothingButNewerRecords(LocalStack stack, @TempDir Path dir) throws Exception {
        ConsumerSetup setup = new ConsumerSetup("users", stack.endpoints());
        stack.createStream(setup.stream, 2);
        long now = System.currentTimeMillis();
        SyntheticWorkload workload = new SyntheticWorkload(SyntheticWorkload.Config.reference(11, 300, now - 120_000));
        List<CatalogUser> users = workload.users(now - 60_000).subList(0, 400);
        List<CatalogItem> items = workload.catalog(now - 60_000).subList(0, 30);
        List<CatalogUser> later = new ArrayList<>();
        for (int i = 0; i < 50; i++) { // updates: another membership, a year older
            CatalogUser u = users.get(i);
            later.add(CatalogUser.upsert(u.userId(), now - 30_000, u.segment(), "premium", u.age() + 1));
        }
        for (int i = 50; i < 70; i++) later.add(CatalogUser.delete(users.get(i).userId(), now - 20_000));
        // The same millisecond: the delete wins whatever the order (Revision), so user 70 ends deleted.
        later.add(CatalogUser.upsert(users.get(70).userId(), now - 15_000, "music", "plus", 20));
        later.add(CatalogUser.delete(users.get(70).userId(), now - 15_000));
        List<CatalogUser> late = new ArrayList<>();
        for (int i = 50; i < 60; i++) late.add(at(users.get(i), now - 25_000)); // older than the delete
        for (int i = 0; i < 10; i++) late.add(at(users.get(i), now - 40_000)); // older than the update
        List<CatalogUser> retries = users.subList(100, 120);

        Map<String, RejectReason> bad = new LinkedHashMap<>();
        CatalogUser sample = users.get(300);
        String good = EventJson.toJson(sample);
        String id = "\"user_id\":\"" + sample.userId() + "\"";
        bad.put(good.replace("\"operation\":\"upsert\"", "\"operation\":\"replace\""), RejectReason.INVALID_OPERATION);
        bad.put(good.replace(id, "\"user_id\":\"user 300\""), RejectReason.INVALID_ID);
        bad.put(good.replace(id + ",", ""), RejectReason.MISSING_FIELD);
        bad.put(good.replace(id, id + ",\"email\":\"someone@example.com\""), RejectReason.UNKNOWN_FIELD);
        bad.put(good.replaceFirst("\"age\":[0-9]+", "\"age\":\"30\""), RejectReason.WRONG_TYPE);
        bad.put(good.replaceFirst("\"age\":[0-9]+", "\"age\":151"), RejectReason.INVALID_FIELD_VALUE);
        bad.put(good.replaceFirst("\"membership\":\"[^\"]*\"", "\"membership\":\"free|plus\""), RejectReason.INVALID_FIELD_VALUE);
        bad.put(good.replaceFirst("\"segment\":\"[^\"]*\"", "\"segment\":\"" + "s".repeat(65) + "\""), RejectReason.FIELD_TOO_LARGE);
        bad.put("{\"record_type\":\"user\",\"operation\":\"delete\",\"user_id\":\"user-000301\",\"updated_at\":" + now + ",\"age\":30}",
                RejectReason.UNKNOWN_FIELD);
        bad.put("{\"record_type\":\"user\",\"operation\":\"delete\",\"user_id\":\"user-000302\",\"updated_at\":" + (now + 3_600_000) + "}",
                RejectReason.TIMESTAMP_IN_FUTURE);
        assertThat(bad).as("each bad record differs from the good one").hasSize(10).doesNotContainKey(good);

        List<InteractionEvent> events = new ArrayList<>();
        workload.forEach(events::add);
        TestTraffic.sendUsers(stack, setup.stream, users);
        TestTraffic.sendItems(stack, setup.stream, items);
        TestTraffic.send(stack, setup.stream, events);
        TestTraffic.sendUsers(stack, setup.stream, later);
        TestTraffic.sendUsers(stack, setup.stream, late);
        TestTraffic.sendUsers(stack, setup.stream, retries);
        TestTraffic.sendRaw(stack, setup.stream, sample.userId(), bad.keySet().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());

        List<CatalogUser> accepted = new ArrayList<>(users);
        accepted.addAll(later);
        accepted.addAll(late);
        accepted.addAll(retries);
        Map<String, CatalogUser> expected = latest(accepted);
        assertThat(expected.get(users.get(70).userId()).isDelete()).as("the test's own premise").isTrue();

        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);
        try (InProcessConsumer consumer = InProcessConsumer.start(setup.writeConfig(dir, "w1"), List.of())) {
            Await.until("every record checkpointed and archived", Duration.ofMinutes(3),
                    () -> TestTraffic.fullyCheckpointed(stack, setup, inspect) && inspect.jsonLines(S3Layout.RAW_USERS_PREFIX).size() >= accepted.size(),
                    () -> inspect.users().size() + " users; leases " + inspect.leases());

            assertLatest(inspect.users(), expected);
            assertThat(inspect.users().values().stream().filter(r -> r.get(UserKeys.DELETED).bool()).count())
                    .as("deleted, none resurrected by the older upserts").isEqualTo(21);
            assertThat(inspect.users().get(users.get(0).userId()).get(UserKeys.UPDATED_AT).n()).as("the update, not the late older upsert")
                    .isEqualTo(Long.toString(now - 30_000));
            assertThat(inspect.items().keySet()).as("item records beside them still land in the items table")
                    .containsExactlyInAnyOrderElementsOf(items.stream().map(CatalogItem::itemId).toList());

            Map<String, List<JsonNode>> objects = inspect.jsonLinesByObject(S3Layout.RAW_USERS_PREFIX);
            Map<String, Integer> archived = new HashMap<>();
            objects.forEach((key, lines) -> lines.forEach(line -> {
                archived.merge(line.toString(), 1, Integer::sum);
                assertThat(key).as("under its update hour").startsWith(S3Layout.RAW_USERS_PREFIX
                        + S3Layout.hourPartition(line.get(UserFields.UPDATED_AT).asLong())).endsWith(".jsonl.gz");
            }));
            assertThat(archived).as("raw/users: every accepted record as often as it was sent").isEqualTo(countJson(accepted));
            assertThat(inspect.jsonLines(S3Layout.RAW_ITEMS_PREFIX)).as("raw/items: the items only").hasSize(items.size());

            Expectations.deadLettered(inspect, bad);
            assertThat(consumer.metrics().meter("ingest.usersWritten").getCount()).as("at least one write per final state")
                    .isGreaterThanOrEqualTo(expected.size());
            Expectations.exactlyOnceEverywhere(inspect, events);
        }

        // Newer updates, then every record again from TRIM_HORIZON (a new application: no checkpoints) into the same tables.
        List<CatalogUser> newer = new ArrayList<>();
        for (int i = 200; i < 210; i++) newer.add(CatalogUser.upsert(users.get(i).userId(), now - 5_000, "garden", "plus", 40));
        TestTraffic.sendUsers(stack, setup.stream, newer);
        accepted.addAll(newer);
        Map<String, CatalogUser> afterReplay = latest(accepted);
        setup.asApplication("users-replay");
        try (InProcessConsumer replay = InProcessConsumer.start(setup.writeConfig(dir, "w2"), List.of())) {
            Await.until("the replay to checkpoint every record", Duration.ofMinutes(3),
                    () -> TestTraffic.fullyCheckpointed(stack, setup, inspect), () -> "leases " + inspect.leases());

            assertLatest(inspect.users(), afterReplay);
            assertThat(replay.metrics().meter("ingest.usersWritten").getCount()).as("the replay applied the newer updates only")
                    .isEqualTo(newer.size());
            assertThat(replay.metrics().meter("ingest.usersSuperseded").getCount()).as("every older record read again, none applied")
                    .isGreaterThanOrEqualTo(accepted.size() - newer.size());
        }
    }

    /** Each user's record with the greatest revision. */
    private static Map<String, CatalogUser> latest(List<CatalogUser> records) {
        Map<String, CatalogUser> latest = new HashMap<>();
        for (CatalogUser u : records) latest.merge(u.userId(), u, (a, b) -> a.revision().compareTo(b.revision()) >= 0 ? a : b);
        return latest;
    }

    private static void assertLatest(Map<String, Map<String, AttributeValue>> rows, Map<String, CatalogUser> expected) {
        assertThat(rows.keySet()).as("every user once, deleted ones as tombstones").isEqualTo(expected.keySet());
        expected.forEach((userId, want) -> {
            Map<String, AttributeValue> row = rows.get(userId);
            assertThat(row.get(UserKeys.REVISION).s()).as(userId).isEqualTo(want.revision());
            assertThat(row.get(UserKeys.DELETED).bool()).as(userId).isEqualTo(want.isDelete());
            assertThat(row.get(UserKeys.UPDATED_AT).n()).as(userId).isEqualTo(Long.toString(want.updatedAt()));
            assertThat(text(row, UserKeys.SEGMENT)).as(userId).isEqualTo(want.segment());
            assertThat(text(row, UserKeys.MEMBERSHIP)).as(userId).isEqualTo(want.membership());
            assertThat(row.containsKey(UserKeys.AGE) ? Integer.valueOf(row.get(UserKeys.AGE).n()) : null).as(userId).isEqualTo(want.age());
        });
    }

    private static String text(Map<String, AttributeValue> row, String name) {
        return row.containsKey(name) ? row.get(name).s() : null;
    }

    private static Map<String, Integer> countJson(List<CatalogUser> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (CatalogUser u : records) counts.merge(EventJson.toJson(u), 1, Integer::sum);
        return counts;
    }

    private static CatalogUser at(CatalogUser u, long updatedAt) {
        return CatalogUser.upsert(u.userId(), updatedAt, u.segment(), u.membership(), u.age());
    }
}
