package dev.recsys.training;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Lambda entry point ({@code dev.recsys.training.TrainingHandler::handleRequest}): state input in,
 * task result out. Errors propagate, so the Lambda error type is the exception's class name, which
 * the state machine's Retry and Catch match.
 */
public final class TrainingHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingTasks tasks;

    public TrainingHandler() {
        TrainingConfig config = TrainingConfig.fromEnv(System.getenv());
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        this.tasks = new TrainingTasks(config, TrainingAwsClients.personalize(config, credentials), TrainingAwsClients.s3(config, credentials),
                config.experiment() == null ? null : TrainingAwsClients.dynamoDb(config, credentials), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JSON.writeValue(output, tasks.handle(JSON.readTree(input)));
    }
}
