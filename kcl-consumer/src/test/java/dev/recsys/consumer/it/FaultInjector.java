package dev.recsys.consumer.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Fails chosen SDK operations (e.g. "BatchWriteItem", "PutObject") while they are switched on. */
final class FaultInjector implements ExecutionInterceptor {

    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    final AtomicLong injected = new AtomicLong();

    void fail(String... operations) {
        failing.addAll(Set.of(operations));
    }

    void heal() {
        failing.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (failing.contains(operation)) {
            injected.incrementAndGet();
            throw SdkClientException.create("injected fault: " + operation + " unavailable");
        }
    }
}
