package dev.recsys.bench.api;

import com.amazonaws.services.lambda.runtime.Context;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.api.metrics.RequestMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Child-JVM entry point for the cold-start figure: Lambda-style init (config, SDK client, Redis
 * client, fallback list) plus the first invocation, then prints {@code FIRST_RESPONSE <status>}.
 * Run on the shaded Lambda jar's classpath; args: redis URI, Personalize endpoint. Also prints
 * {@code PHASES <main entered> <init done> <first response>} (epoch ms), so the figure can be split into JVM start,
 * init and first invocation.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        ApiApplication app = ApiApplication.create(ApiConfig.fromEnvironment(ApiRig.environment(args[0])),
                ApiRig.endpoints(URI.create(args[1])), RequestMetrics.emf("recsys-cold-start/api"));
        long initAt = System.currentTimeMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ApiHandler(app).handleRequest(new ByteArrayInputStream(
                ApiBenchmark.getEvent("cold-user").getBytes(StandardCharsets.UTF_8)), out, lambdaContext());
        String response = out.toString(StandardCharsets.UTF_8);
        int status = response.contains("\"statusCode\":200") ? 200 : 500;
        System.out.println("PHASES " + mainAt + " " + initAt + " " + System.currentTimeMillis());
        System.out.println("FIRST_RESPONSE " + status);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** A Lambda context, so the first invocation runs inside Powertools' logging scope as on Lambda. */
    private static Context lambdaContext() {
        Map<String, Object> values = Map.of("getAwsRequestId", "cold-start-1", "getFunctionName", "recsys-cold-start-probe",
                "getFunctionVersion", "$LATEST", "getInvokedFunctionArn", "arn:aws:lambda:us-east-1:000000000000:function:recsys-cold-start-probe",
                "getLogGroupName", "/aws/lambda/recsys-cold-start-probe", "getLogStreamName", "probe",
                "getMemoryLimitInMB", 1024, "getRemainingTimeInMillis", 29_000);
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> values.get(method.getName()));
    }
}
