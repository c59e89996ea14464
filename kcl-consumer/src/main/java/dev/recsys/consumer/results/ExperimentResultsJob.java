package dev.recsys.consumer.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.ArmTotals;
import dev.recsys.common.experiment.ResultsCalculator;
import dev.recsys.common.experiment.ResultsCalculator.Arm;
import dev.recsys.common.keys.ExperimentKeys;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Recomputes the experiment results from {@code experiment_users} every {@code interval}, on one worker
 * of the fleet (the one that holds the first shard's lease): a parallel Scan summed into per-arm totals,
 * one {@link ResultsCalculator} look carrying the previous running p-values, one row per arm in
 * {@code experiments}, and one EMF metrics document per arm.
 *
 * <p>Why recompute rather than increment: the per-user rows are already exactly-once, and a sum over
 * them is exactly-once by construction; incrementing shared aggregates would need multi-item
 * atomicity (no transactions on the emulator) to survive a crash between two writes. A full scan is
 * cheap: rows are ~150 bytes, so a million users are ~40,000 read units per look.
 */
public final class ExperimentResultsJob implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentResultsJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEGMENTS = 4;

    /** The outcome of the last look, for health. */
    public record Status(Instant at, int arms, String error) {}

    private final DynamoDbAsyncClient dynamo;
    private final String usersTable;
    private final String resultsTable;
    private final ResultsCalculator calculator;
    private final ResultsMetrics metrics;
    private final BooleanSupplier leader;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "experiment-results");
        t.setDaemon(true);
        return t;
    });
    private volatile Status status;

    /** @param leader true on the one worker that computes (the others stay idle) */
    public ExperimentResultsJob(DynamoDbAsyncClient dynamo, String usersTable, String resultsTable, ResultsCalculator calculator,
                                ResultsMetrics metrics, BooleanSupplier leader, Duration interval, Clock clock) {
        this.dynamo = dynamo;
        this.usersTable = usersTable;
        this.resultsTable = resultsTable;
        this.calculator = calculator;
        this.metrics = metrics;
        this.leader = leader;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void start() {
        scheduler.scheduleWithFixedDelay(this::runIfLeader, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }

    /** Null until this worker computed once. */
    public Status status() {
        return status;
    }

    private void runIfLeader() {
        try {
            if (leader.getAsBoolean()) lookNow();
        } catch (RuntimeException e) {
            status = new Status(clock.instant(), 0, e.toString());
            LOG.warn("experiment results not computed this time: {}", e.toString());
        }
    }

    /** One look, now (the scheduler's work; tests and the offline runner call it directly too). */
    public List<ArmResult> lookNow() {
        Map<Arm, ArmTotals> totals = totals();
        Map<Arm, ArmResult> previous = previous();
        List<ArmResult> results = calculator.look(totals, previous, clock.millis());
        for (ArmResult r : results) {
            String doc = json(r);
            dynamo.putItem(b -> b.tableName(resultsTable).item(Map.of(
                    ExperimentKeys.EXPERIMENT, AttributeValue.fromS(r.experiment()),
                    ExperimentKeys.ARM, AttributeValue.fromS(ExperimentKeys.resultArm(r.route(), r.variant())),
                    ExperimentKeys.RESULT, AttributeValue.fromS(doc),
                    ExperimentKeys.COMPUTED_AT, AttributeValue.fromN(Long.toString(r.computedAt()))))).join();
            metrics.emit(r);
        }
        status = new Status(clock.instant(), results.size(), null);
        return results;
    }

    private Map<Arm, ArmTotals> totals() {
        Map<Arm, ArmTotals> totals = new ConcurrentHashMap<>();
        List<java.util.concurrent.CompletableFuture<Void>> segments = new java.util.ArrayList<>();
        for (int s = 0; s < SEGMENTS; s++) {
            int segment = s;
            segments.add(java.util.concurrent.CompletableFuture.runAsync(() ->
                    dynamo.scanPaginator(b -> b.tableName(usersTable).segment(segment).totalSegments(SEGMENTS).consistentRead(true)
                                    .projectionExpression("#a, exposures, clicks, conversions")
                                    .expressionAttributeNames(Map.of("#a", ExperimentKeys.ARM)))
                            .items().subscribe(item -> {
                                String[] a = ExperimentKeys.parseUserArm(item.get(ExperimentKeys.ARM).s());
                                totals.merge(new Arm(a[0], a[1], a[2]), ArmTotals.EMPTY.plusUser(n(item, "exposures"),
                                        n(item, "clicks"), n(item, "conversions")), ArmTotals::plus);
                            }).join()));
        }
        java.util.concurrent.CompletableFuture.allOf(segments.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        return totals;
    }

    private Map<Arm, ArmResult> previous() {
        Map<Arm, ArmResult> out = new HashMap<>();
        dynamo.scanPaginator(b -> b.tableName(resultsTable).consistentRead(true)).items().subscribe(item -> {
            try {
                ArmResult r = JSON.readValue(item.get(ExperimentKeys.RESULT).s(), ArmResult.class);
                out.put(new Arm(r.experiment(), r.route(), r.variant()), r);
            } catch (IOException e) {
                LOG.warn("ignoring an unreadable result row {}: {}", item.get(ExperimentKeys.ARM), e.toString());
            }
        }).join();
        return out;
    }

    private static String json(ArmResult r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }
}
