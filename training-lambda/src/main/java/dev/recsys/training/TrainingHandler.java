package dev.recsys.training;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.contract.Contract;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Lambda entry point ({@code dev.recsys.training.TrainingHandler::handleRequest}): state input in,
 * task result out, through {@link TaskRunner} inside Powertools' logging context. Errors propagate, so the Lambda
 * error type is the exception's class name, which the state machine's Retry and Catch match.
 */
public final class TrainingHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskRunner runner;

    /** Used by the Lambda runtime. */
    public TrainingHandler() {
        TrainingConfig config = TrainingConfig.fromEnv(System.getenv());
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        TrainingTasks tasks = new TrainingTasks(config, TrainingAwsClients.personalize(config, credentials),
                TrainingAwsClients.s3(config, credentials),
                config.experiment() == null ? null : TrainingAwsClients.dynamoDb(config, credentials), Clock.systemUTC());
        this.runner = new TaskRunner(tasks, TaskMetrics.emf(Contract.get().metrics().trainingNamespace(config.namePrefix())));
    }

    /** The offline loop's function: the same handler around a runner it wired (local endpoints, metrics to a file). */
    public TrainingHandler(TaskRunner runner) {
        this.runner = runner;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = JSON.readTree(input);
        // Powertools adds the function's name, version, request id and cold-start flag to every log line.
        JsonNode result = context == null ? runner.run(request) : PowertoolsLogging.withLogging(context, () -> runner.run(request));
        JSON.writeValue(output, result);
    }
}
