package dev.recsys.api.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.http.ErrorBody;
import dev.recsys.api.json.Json;
import dev.recsys.api.http.ProxyRequest;
import dev.recsys.api.http.ProxyResponse;
import dev.recsys.api.metrics.RequestMetrics;
import dev.recsys.api.aws.ApiAwsClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The Lambda entry point for API Gateway REST proxy events: bytes in, bytes out, with Jackson
 * (no events library, no reflection-heavy runtime serializer). Thin on purpose — everything is
 * built once in the init phase and the router does the work.
 */
public final class ApiHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** Built in the Lambda init phase (and therefore inside a SnapStart snapshot). */
    private static final class FromEnvironment {
        static final ApiConfig CONFIG = ApiConfig.fromEnvironment(System.getenv());
        static final ApiApplication APP = ApiApplication.create(CONFIG,
                ApiAwsClients.Endpoints.aws(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1"))),
                RequestMetrics.emf(CONFIG.metricsNamespace()));
        static final PostInvokeFlush FLUSH = postInvokeFlush();

        /** Only on Lambda, only with exposures: registered during init, as the Extensions API requires. */
        private static PostInvokeFlush postInvokeFlush() {
            String runtimeApi = System.getenv("AWS_LAMBDA_RUNTIME_API");
            if (runtimeApi == null || CONFIG.exposures() == null) return null;
            try {
                return PostInvokeFlush.register(runtimeApi, APP::drainExposures, CONFIG.exposures().flushBudget());
            } catch (IOException e) {
                LOG.warn("post-invoke exposure flush not registered; exposures flush in the background only", e);
                return null;
            }
        }
    }

    private final ApiApplication app;
    private final PostInvokeFlush flush;

    /** Used by the Lambda runtime. */
    public ApiHandler() {
        this(FromEnvironment.APP, FromEnvironment.FLUSH);
    }

    /** Used by the local adapter and tests, with an application they wired. */
    public ApiHandler(ApiApplication app) {
        this(app, null);
    }

    ApiHandler(ApiApplication app, PostInvokeFlush flush) {
        this.app = app;
        this.flush = flush;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (context == null) { // the local adapter and tests: no Lambda context to log with
            handle(input, output, null);
            return;
        }
        try {
            // Powertools adds the function's name, version, request id and cold-start flag to every log line.
            PowertoolsLogging.withLogging(context, () -> {
                try {
                    handle(input, output, context);
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        ProxyRequest request = null;
        try {
            request = Json.MAPPER.readValue(event, ProxyRequest.class);
        } catch (IOException e) {
            // not a proxy event: answered below as a 400 rather than a runtime error
        }
        String requestId = requestId(request, context);
        ProxyResponse response = request == null
                ? new ProxyResponse(400, Map.of("Content-Type", "application/json", "X-Request-Id", requestId),
                        ErrorBody.json("invalid_event", "not an API Gateway proxy event", requestId), false)
                : app.router().handle(request, requestId);
        Json.MAPPER.writeValue(output, response);
        if (flush != null) flush.finished(context == null ? null : context.getAwsRequestId());
    }

    private static String requestId(ProxyRequest request, Context context) {
        if (request != null && request.requestId() != null && !request.requestId().isBlank()) {
            return request.requestId();
        }
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        return UUID.randomUUID().toString();
    }
}
