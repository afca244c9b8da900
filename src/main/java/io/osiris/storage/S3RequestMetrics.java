package io.osiris.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * {@code osiris_s3_requests_total{operation, outcome}}: every S3 call Osiris makes, the cost that bounds builds per
 * second (docs/benchmarks.md), and the first place to look when storage slows down.
 */
class S3RequestMetrics implements ExecutionInterceptor {

    private final MeterRegistry registry;

    S3RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        count(attributes, "success");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        count(attributes, "failure");
    }

    private void count(ExecutionAttributes attributes, String outcome) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Counter.builder("osiris.s3.requests").description("S3 calls made by Osiris, by operation and outcome")
                .tag("operation", operation == null ? "unknown" : operation).tag("outcome", outcome)
                .register(registry).increment();
    }
}
