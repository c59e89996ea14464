package dev.recsys.local.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.local.ingest.ConsumerProcess.Deployment;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.producer.EventProducer;
import dev.recsys.producer.ProducerConfig;
import dev.recsys.producer.Producers;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Shows the loop closing on one user: a cache miss, a cache hit, then a new interaction sent to
 * Kinesis — the consumer stores it, invalidates the user's cache and forwards it to the event
 * tracker — and the next answer is fresh and reflects it.
 */
public final class ServingWalkthrough {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalRecommendationApi api;
    private final LocalStack stack;
    private final Deployment deployment;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    public ServingWalkthrough(LocalRecommendationApi api, LocalStack stack, Deployment deployment, PrintStream out) {
        this.api = api;
        this.stack = stack;
        this.deployment = deployment;
        this.out = out;
    }

    public void run(String user) throws Exception {
        JsonNode first = get(user);
        print("first request ", first);
        print("same request  ", get(user));
        String item = first.path("items").path(0).path("item_id").asText(null);
        if (item == null) {
            out.println("  (no recommendation to interact with)");
            return;
        }
        InteractionEvent purchase = InteractionEvent.of("walkthrough-" + System.currentTimeMillis(), user, item, "purchase",
                System.currentTimeMillis());
        Endpoints e = stack.endpoints();
        long t0 = System.nanoTime();
        try (EventProducer producer = Producers.create(ProducerConfig.local(ProducerConfig.Mode.PUT_RECORDS, deployment.stream(),
                e.kinesis(), e.accessKey(), e.secretKey()))) {
            producer.send(purchase).join();
        }
        waitUntilStored(purchase);
        out.printf("  %s purchases %s: stored in DynamoDB %d ms after PutRecord; cache invalidated; event forwarded to the tracker%n",
                user, item, (System.nanoTime() - t0) / 1_000_000);
        Thread.sleep(500); // PutEvents is forwarded asynchronously
        print("after purchase", get(user));
    }

    private JsonNode get(String user) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.uri() + "/users/" + user + "/recommendations?limit=5"))
                .header("x-api-key", LocalRecommendationApi.API_KEY).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("http_status", r.statusCode());
        return body;
    }

    private void print(String label, JsonNode answer) {
        List<String> items = new ArrayList<>();
        answer.path("items").forEach(i -> items.add(i.path("item_id").asText()));
        out.printf("  %s HTTP %d variant=%s source=%s cached=%s items=%s%n", label, answer.path("http_status").asInt(),
                answer.path("variant").asText("-"), answer.path("source").asText("-"), answer.path("cached").asText("-"), items);
    }

    private void waitUntilStored(InteractionEvent ev) throws InterruptedException {
        Map<String, AttributeValue> key = Map.of(InteractionKeys.PARTITION_KEY, AttributeValue.fromS(ev.userId()),
                InteractionKeys.SORT_KEY, AttributeValue.fromS(InteractionKeys.sortKey(ev.timestampMillis(), ev.eventId())));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (stack.dynamoDb().getItem(b -> b.tableName(deployment.interactionsTable()).key(key).consistentRead(true)).hasItem()) return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("event " + ev.eventId() + " not stored within 30 s");
    }
}
