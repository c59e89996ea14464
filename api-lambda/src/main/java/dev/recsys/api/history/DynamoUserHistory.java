package dev.recsys.api.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.http.Json;
import dev.recsys.api.personalize.SignedHttp;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Cold start = no row in the consumer's {@code user_profiles} table (PK {@code user_id}), which the
 * kcl-consumer writes on a user's first event; read with one signed GetItem. Any failure answers
 * "has history": the model then decides, and a broken profile table never makes everyone a cold start.
 */
public final class DynamoUserHistory implements UserHistory {

    private final SignedHttp http;
    private final URI endpoint;
    private final String table;

    /**
     * @param endpoint null on AWS ({@code https://dynamodb.region.amazonaws.com}); the emulator's URI offline
     */
    public DynamoUserHistory(SignedHttp http, URI endpoint, String region, String table) {
        this.http = http;
        this.endpoint = endpoint == null ? URI.create("https://dynamodb." + region + ".amazonaws.com/") : endpoint;
        this.table = table;
    }

    @Override
    public boolean hasHistory(String userId) {
        try {
            var request = Json.MAPPER.createObjectNode();
            request.put("TableName", table);
            request.putObject("Key").putObject("user_id").put("S", userId);
            request.put("ProjectionExpression", "user_id");
            SignedHttp.Response r = http.execute("dynamodb", SdkHttpMethod.POST, endpoint,
                    Map.of("X-Amz-Target", "DynamoDB_20120810.GetItem", "Content-Type", "application/x-amz-json-1.0"),
                    Json.MAPPER.writeValueAsBytes(request), false);
            if (r.status() != 200) {
                return true;
            }
            JsonNode item = Json.MAPPER.readTree(r.body()).get("Item");
            return item != null && item.isObject() && !item.isEmpty();
        } catch (Exception e) {
            return true;
        }
    }
}
