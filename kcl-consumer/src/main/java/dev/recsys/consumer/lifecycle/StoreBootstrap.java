package dev.recsys.consumer.lifecycle;

import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.common.keys.UserKeys;
import dev.recsys.common.keys.UserProfileKeys;
import dev.recsys.consumer.config.StoreSettings;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
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
 * and indexes (TTL and PITR are Terraform's job; the emulator supports neither).
 */
public final class StoreBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(StoreBootstrap.class);

    private StoreBootstrap() {}

    public static void ensure(DynamoDbAsyncClient dynamo, S3AsyncClient s3, StoreSettings stores) {
        create(dynamo, stores.interactionsTable, b -> b
                .attributeDefinitions(s(InteractionKeys.PARTITION_KEY), s(InteractionKeys.SORT_KEY),
                        s(InteractionKeys.ITEM_INDEX_PARTITION_KEY), n(InteractionKeys.EVENT_TIME))
                .keySchema(key(InteractionKeys.PARTITION_KEY, KeyType.HASH), key(InteractionKeys.SORT_KEY, KeyType.RANGE))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(InteractionKeys.TIME_INDEX)
                        .keySchema(key(InteractionKeys.PARTITION_KEY, KeyType.HASH), key(InteractionKeys.EVENT_TIME, KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(InteractionKeys.ITEM_INDEX)
                        .keySchema(key(InteractionKeys.ITEM_INDEX_PARTITION_KEY, KeyType.HASH),
                                key(InteractionKeys.EVENT_TIME, KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build()));
        create(dynamo, stores.userProfilesTable, b -> b.attributeDefinitions(s(UserProfileKeys.PARTITION_KEY))
                .keySchema(key(UserProfileKeys.PARTITION_KEY, KeyType.HASH)));
        create(dynamo, stores.exposuresTable, b -> b
                .attributeDefinitions(s(ExperimentKeys.USER_ID), s(ExperimentKeys.RECOMMENDATION_ID), n(ExperimentKeys.EXPOSED_AT))
                .keySchema(key(ExperimentKeys.USER_ID, KeyType.HASH), key(ExperimentKeys.RECOMMENDATION_ID, KeyType.RANGE))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(ExperimentKeys.EXPOSURE_TIME_INDEX)
                        .keySchema(key(ExperimentKeys.USER_ID, KeyType.HASH), key(ExperimentKeys.EXPOSED_AT, KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
        create(dynamo, stores.experimentUsersTable, b -> b.attributeDefinitions(s(ExperimentKeys.USER_ID), s(ExperimentKeys.ARM))
                .keySchema(key(ExperimentKeys.USER_ID, KeyType.HASH), key(ExperimentKeys.ARM, KeyType.RANGE)));
        create(dynamo, stores.experimentsTable, b -> b.attributeDefinitions(s(ExperimentKeys.EXPERIMENT), s(ExperimentKeys.ARM))
                .keySchema(key(ExperimentKeys.EXPERIMENT, KeyType.HASH), key(ExperimentKeys.ARM, KeyType.RANGE)));
        create(dynamo, stores.itemsTable, b -> b.attributeDefinitions(s(ItemKeys.PARTITION_KEY))
                .keySchema(key(ItemKeys.PARTITION_KEY, KeyType.HASH)));
        create(dynamo, stores.usersTable, b -> b.attributeDefinitions(s(UserKeys.PARTITION_KEY))
                .keySchema(key(UserKeys.PARTITION_KEY, KeyType.HASH)));
        try {
            s3.createBucket(b -> b.bucket(stores.bucket)).join();
            LOG.info("created bucket {}", stores.bucket);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BucketAlready")) throw e;
        }
        for (String table : List.of(stores.interactionsTable, stores.userProfilesTable, stores.exposuresTable,
                stores.experimentUsersTable, stores.experimentsTable, stores.itemsTable, stores.usersTable)) {
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table)).join();
        }
    }

    private static void create(DynamoDbAsyncClient dynamo, String table, UnaryOperator<CreateTableRequest.Builder> schema) {
        try {
            dynamo.createTable(schema.apply(CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST))
                    .build()).join();
            LOG.info("created table {}", table);
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) throw e;
        }
    }

    private static AttributeDefinition s(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeDefinition n(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.N).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
