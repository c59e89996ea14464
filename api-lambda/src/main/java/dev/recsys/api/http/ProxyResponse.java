package dev.recsys.api.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The proxy integration's response: API Gateway maps it to the HTTP response as-is. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProxyResponse(int statusCode, Map<String, String> headers, String body,
                            @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {

    public ProxyResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
