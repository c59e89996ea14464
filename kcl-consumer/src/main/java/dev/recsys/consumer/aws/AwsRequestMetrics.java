package dev.recsys.consumer.aws;

import com.codahale.metrics.MetricRegistry;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every data-store API attempt as {@code aws.<service>.<operation>} (retries included):
 * request counts are what S3 bills and what the cost of the ingestion path is judged by.
 */
public final class AwsRequestMetrics implements ExecutionInterceptor {

    private final MetricRegistry registry;

    public AwsRequestMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        registry.meter("aws." + service + "." + operation).mark();
    }
}
