package dev.recsys.consumer.sink;

import dev.recsys.common.experiment.ResultsCalculator.Arm;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.consumer.attribution.Credit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The {@code experiment_users} table ({@link ExperimentKeys}): one row per user and arm, counted the way
 * profiles are: a per-shard watermark of the last record counted, and a conditional write on the row's
 * version ({@link VersionedRows}), so replays, crashes before checkpoint and lease takeovers never
 * count twice. The results job sums these rows.
 */
public final class DynamoExperimentStore implements ExperimentStore {

    static final String EXPOSURES = "exposures", CLICKS = "clicks", CONVERSIONS = "conversions", APPLIED = "applied";

    private final VersionedRows rows;
    private final long ttlSeconds;
    private final Clock clock;

    public DynamoExperimentStore(DynamoDbAsyncClient dynamo, String table, int ttlDays, Retrier retrier, Clock clock) {
        this.rows = new VersionedRows(dynamo, table, ExperimentKeys.USER_ID, ExperimentKeys.ARM, retrier);
        this.ttlSeconds = ttlDays * 86_400L;
        this.clock = clock;
    }

    @Override
    public void credit(String shardId, List<Credit> credits) {
        if (credits.isEmpty()) return;
        Map<VersionedRows.Key, List<Credit>> byRow = new LinkedHashMap<>();
        for (Credit c : credits) {
            byRow.computeIfAbsent(new VersionedRows.Key(c.userId(),
                    ExperimentKeys.userArm(c.arm().experiment(), c.arm().route(), c.arm().variant())), k -> new ArrayList<>()).add(c);
        }
        rows.apply(new ArrayList<>(byRow.keySet()), (key, current) -> merge(current, shardId, byRow.get(key), clock.millis()));
    }

    /** The new row, or null when every credit was already counted for this shard. */
    Map<String, AttributeValue> merge(Map<String, AttributeValue> current, String shardId, List<Credit> credits, long now) {
        Map<String, AttributeValue> applied = current == null || !current.containsKey(APPLIED)
                ? new HashMap<>() : new HashMap<>(current.get(APPLIED).m());
        String watermark = applied.containsKey(shardId) ? applied.get(shardId).s() : "";
        long exposures = number(current, EXPOSURES), clicks = number(current, CLICKS), conversions = number(current, CONVERSIONS);
        String newWatermark = watermark;
        int added = 0;
        for (Credit c : credits) {
            String pos = c.position().sortable();
            if (pos.compareTo(watermark) <= 0) continue;
            added++;
            switch (c.kind()) {
                case EXPOSURE -> exposures++;
                case CLICK -> clicks++;
                case CONVERSION -> conversions++;
            }
            if (pos.compareTo(newWatermark) > 0) newWatermark = pos;
        }
        if (added == 0) return null;
        applied.put(shardId, AttributeValue.fromS(newWatermark));
        Arm arm = credits.get(0).arm();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ExperimentKeys.EXPERIMENT, AttributeValue.fromS(arm.experiment()));
        item.put("route", AttributeValue.fromS(arm.route()));
        item.put("variant", AttributeValue.fromS(arm.variant()));
        item.put(EXPOSURES, n(exposures));
        item.put(CLICKS, n(clicks));
        item.put(CONVERSIONS, n(conversions));
        item.put(APPLIED, AttributeValue.fromM(applied));
        item.put("updated_at", n(now));
        item.put(ExperimentKeys.TTL, n(now / 1000 + ttlSeconds));
        return item;
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return item == null || !item.containsKey(name) ? 0 : Long.parseLong(item.get(name).n());
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
