package dev.recsys.consumer.lifecycle;

import dev.recsys.common.keys.InteractionKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Offline mode only: creates the tables and bucket Terraform would own on AWS, with the same keys
 * and index (TTL and PITR are Terraform's job; the emulator supports neither).
 */
public final class StoreBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(StoreBootstrap.class);

    private StoreBootstrap() {}

    public static void ensure(DynamoDbAsyncClient dynamo, S3AsyncClient s3, String interactionsTable,
                              String profilesTable, String bucket) {
        create(dynamo, interactionsTable, true);
        create(dynamo, profilesTable, false);
        try {
            s3.createBucket(b -> b.bucket(bucket)).join();
            LOG.info("created bucket {}", bucket);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BucketAlready")) throw e;
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(interactionsTable)).join();
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(profilesTable)).join();
    }

    private static void create(DynamoDbAsyncClient dynamo, String table, boolean interactions) {
        try {
            if (interactions) {
                dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attr(InteractionKeys.PARTITION_KEY), attr(InteractionKeys.SORT_KEY),
                                attr(InteractionKeys.ITEM_INDEX_PARTITION_KEY), number(InteractionKeys.EVENT_TIME))
                        .keySchema(key(InteractionKeys.PARTITION_KEY, KeyType.HASH), key(InteractionKeys.SORT_KEY, KeyType.RANGE))
                        .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(InteractionKeys.TIME_INDEX)
                                .keySchema(key(InteractionKeys.PARTITION_KEY, KeyType.HASH),
                                        key(InteractionKeys.EVENT_TIME, KeyType.RANGE))
                                .projection(p -> p.projectionType(ProjectionType.ALL)).build())
                        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(InteractionKeys.ITEM_INDEX)
                                .keySchema(key(InteractionKeys.ITEM_INDEX_PARTITION_KEY, KeyType.HASH),
                                        key(InteractionKeys.EVENT_TIME, KeyType.RANGE))
                                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build())).join();
            } else {
                dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attr("user_id")).keySchema(key("user_id", KeyType.HASH))).join();
            }
            LOG.info("created table {}", table);
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) throw e;
        }
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeDefinition number(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.N).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
