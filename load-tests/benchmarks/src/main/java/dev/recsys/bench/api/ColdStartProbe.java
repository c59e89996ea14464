package dev.recsys.bench.api;

import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.api.json.LogSink;
import dev.recsys.api.metrics.RequestMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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
                ApiRig.endpoints(URI.create(args[1])), LogSink.discard(), RequestMetrics.emf("recsys-cold-start/api"));
        long initAt = System.currentTimeMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ApiHandler(app).handleRequest(new ByteArrayInputStream(
                ApiBenchmark.getEvent("cold-user").getBytes(StandardCharsets.UTF_8)), out, null);
        String response = out.toString(StandardCharsets.UTF_8);
        int status = response.contains("\"statusCode\":200") ? 200 : 500;
        System.out.println("PHASES " + mainAt + " " + initAt + " " + System.currentTimeMillis());
        System.out.println("FIRST_RESPONSE " + status);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
