package dev.recsys.consumer.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * One strongly consistent BatchGetItem of at most 100 keys; keys DynamoDB leaves unprocessed are
 * asked again with the retrier's backoff until none is left or the attempts run out.
 */
final class ConsistentBatchGet {

    static final int MAX_KEYS = 100;

    private ConsistentBatchGet() {}

    /**
     * @param request adds a projection (or nothing) to the request of each attempt
     * @param found   receives every item read; must be safe for the caller's threads
     */
    static void read(DynamoDbAsyncClient dynamo, String table, List<Map<String, AttributeValue>> keys, Retrier retrier,
                     UnaryOperator<KeysAndAttributes.Builder> request, Consumer<Map<String, AttributeValue>> found) {
        if (keys.size() > MAX_KEYS) throw new IllegalArgumentException("at most " + MAX_KEYS + " keys per BatchGetItem");
        List<Map<String, AttributeValue>> pending = new ArrayList<>(keys);
        retrier.run("BatchGetItem " + table, () -> {
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(Map.of(table,
                    request.apply(KeysAndAttributes.builder().keys(pending).consistentRead(true)).build()))).join();
            r.responses().getOrDefault(table, List.of()).forEach(found);
            pending.clear();
            KeysAndAttributes unprocessed = r.unprocessedKeys().get(table);
            if (unprocessed != null && unprocessed.hasKeys() && !unprocessed.keys().isEmpty()) {
                pending.addAll(unprocessed.keys());
                throw new SinkException(unprocessed.keys().size() + " keys of " + table + " left unprocessed by BatchGetItem");
            }
        });
    }
}
