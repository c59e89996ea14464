package dev.recsys.consumer.it;

import dev.recsys.consumer.lifecycle.StoreBootstrap;
import dev.recsys.local.stack.LocalStack;
import java.net.URI;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Creates a setup's tables and bucket up front, as Terraform does on AWS. */
final class TestStores {

    private TestStores() {}

    static void create(LocalStack stack, ConsumerSetup setup) {
        try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(URI.create(stack.endpoints().s3().toString()))
                .forcePathStyle(true).region(stack.endpoints().awsRegion())
                .credentialsProvider(stack.endpoints().credentialsProvider()).build()) {
            StoreBootstrap.ensure(stack.dynamoDbAsync(), s3, setup.storeSettings());
        }
    }
}
