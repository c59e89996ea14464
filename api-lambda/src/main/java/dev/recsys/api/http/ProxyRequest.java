package dev.recsys.api.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API Gateway REST (v1) Lambda proxy event, the fields this API reads. Unknown fields are
 * ignored so new gateway fields never break parsing; the local adapter writes the same shape.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyRequest(
        String resource,
        String path,
        String httpMethod,
        Map<String, String> headers,
        Map<String, List<String>> multiValueHeaders,
        Map<String, String> queryStringParameters,
        Map<String, List<String>> multiValueQueryStringParameters,
        Map<String, String> pathParameters,
        Map<String, String> stageVariables,
        RequestContext requestContext,
        String body,
        @JsonProperty("isBase64Encoded") Boolean isBase64Encoded) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestContext(String requestId, String extendedRequestId, String stage, String resourcePath,
                                 String httpMethod, String path, String accountId, String apiId, String resourceId,
                                 String protocol, Long requestTimeEpoch, Identity identity, Authorizer authorizer) {}

    /** What the gateway's Cognito user-pool authorizer verified: the token's claims (values as strings, scope space-separated). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Authorizer(Map<String, Object> claims) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Identity(String sourceIp, String userAgent, String apiKey, String apiKeyId) {}

    /** Header lookup, case-insensitive as HTTP requires (API Gateway keeps the client's casing). */
    public String header(String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return h.getValue();
            }
        }
        return null;
    }

    public String query(String name) {
        return queryStringParameters == null ? null : queryStringParameters.get(name);
    }

    /** True when the client sent the same query parameter more than once (ambiguous: rejected). */
    public boolean queryRepeated(String name) {
        if (multiValueQueryStringParameters == null) {
            return false;
        }
        List<String> values = multiValueQueryStringParameters.get(name);
        return values != null && values.size() > 1;
    }

    /** The verified token's claims, or null when the gateway passed none (no authorizer on the method). */
    public Map<String, Object> claims() {
        return requestContext == null || requestContext.authorizer() == null ? null : requestContext.authorizer().claims();
    }

    public String requestId() {
        return requestContext == null ? null : requestContext.requestId();
    }
}
