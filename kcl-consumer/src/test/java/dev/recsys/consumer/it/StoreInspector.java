package dev.recsys.consumer.it;

import dev.recsys.common.keys.ExperimentKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads back what a consumer made durable: rows, profiles, S3 objects and KCL checkpoints. */
final class StoreInspector {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Lease(String shardId, String checkpoint, long subSequence, String owner) {}

    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final ConsumerSetup setup;

    StoreInspector(DynamoDbClient dynamo, S3Client s3, ConsumerSetup setup) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.setup = setup;
    }

    List<Map<String, AttributeValue>> interactions() {
        return scan(setup.interactionsTable);
    }

    /** Exposure rows, without the per-user summary rows. */
    List<Map<String, AttributeValue>> exposures() {
        return scan(setup.exposuresTable).stream()
                .filter(r -> !ExperimentKeys.LATEST_EXPOSURE.equals(r.get(ExperimentKeys.RECOMMENDATION_ID).s())).toList();
    }

    /** user → latest exposure time, from the summary rows. */
    Map<String, Long> latestExposures() {
        return scan(setup.exposuresTable).stream()
                .filter(r -> ExperimentKeys.LATEST_EXPOSURE.equals(r.get(ExperimentKeys.RECOMMENDATION_ID).s()))
                .collect(java.util.stream.Collectors.toMap(r -> r.get(ExperimentKeys.USER_ID).s(),
                        r -> Long.parseLong(r.get(ExperimentKeys.LATEST).n())));
    }

    /** experiment_users as arm → user → {exposures, clicks, conversions}. */
    Map<String, Map<String, List<Long>>> experimentCounts() {
        Map<String, Map<String, List<Long>>> out = new java.util.TreeMap<>();
        for (Map<String, AttributeValue> r : scan(setup.experimentUsersTable)) {
            out.computeIfAbsent(r.get("arm").s(), a -> new java.util.TreeMap<>()).put(r.get("user_id").s(),
                    List.of(Long.parseLong(r.get("exposures").n()), Long.parseLong(r.get("clicks").n()),
                            Long.parseLong(r.get("conversions").n())));
        }
        return out;
    }

    /** The experiments table's stored results, by arm key. */
    Map<String, String> experimentResults() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map<String, AttributeValue> r : scan(setup.experimentsTable)) out.put(r.get("arm").s(), r.get("result").s());
        return out;
    }

    /** The items table, by item id. */
    Map<String, Map<String, AttributeValue>> items() {
        return byKey(setup.itemsTable, dev.recsys.common.keys.ItemKeys.PARTITION_KEY);
    }

    /** The users table, by user id. */
    Map<String, Map<String, AttributeValue>> users() {
        return byKey(setup.usersTable, dev.recsys.common.keys.UserKeys.PARTITION_KEY);
    }

    private Map<String, Map<String, AttributeValue>> byKey(String table, String key) {
        Map<String, Map<String, AttributeValue>> out = new java.util.TreeMap<>();
        for (Map<String, AttributeValue> r : scan(table)) out.put(r.get(key).s(), r);
        return out;
    }

    List<Map<String, AttributeValue>> profiles() {
        return scan(setup.profilesTable);
    }

    Map<String, Long> profileCounts() {
        Map<String, Long> counts = new HashMap<>();
        for (Map<String, AttributeValue> p : profiles()) counts.put(p.get("user_id").s(), Long.parseLong(p.get("event_count").n()));
        return counts;
    }

    List<Lease> leases() {
        List<Lease> leases = new ArrayList<>();
        try {
            for (Map<String, AttributeValue> item : scan(setup.application)) {
                leases.add(new Lease(item.get("leaseKey").s(),
                        item.containsKey("checkpoint") ? item.get("checkpoint").s() : null,
                        item.containsKey("checkpointSubSequenceNumber") ? Long.parseLong(item.get("checkpointSubSequenceNumber").n()) : 0,
                        item.containsKey("leaseOwner") ? item.get("leaseOwner").s() : null));
            }
        } catch (ResourceNotFoundException e) {
            return List.of();
        }
        return leases;
    }

    List<String> objectKeys(String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(setup.bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).forEach(keys::add);
        return keys;
    }

    /** Every JSON line of every gzip object under the prefix. */
    List<JsonNode> jsonLines(String prefix) {
        List<JsonNode> lines = new ArrayList<>();
        jsonLinesByObject(prefix).values().forEach(lines::addAll);
        return lines;
    }

    /** The JSON lines of each gzip object under the prefix, by object key. */
    Map<String, List<JsonNode>> jsonLinesByObject(String prefix) {
        Map<String, List<JsonNode>> objects = new java.util.TreeMap<>();
        for (String key : objectKeys(prefix)) {
            List<JsonNode> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    s3.getObject(b -> b.bucket(setup.bucket).key(key))), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(key, e);
            }
            objects.put(key, lines);
        }
        return objects;
    }

    private List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }
}
