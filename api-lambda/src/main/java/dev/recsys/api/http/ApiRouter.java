package dev.recsys.api.http;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.ExperimentReport;
import dev.recsys.api.core.RecommendationService;
import dev.recsys.api.core.RequestOptions;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.core.RequestRejected;
import dev.recsys.api.core.Served;
import dev.recsys.api.json.Json;
import dev.recsys.common.event.Exposure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP semantics of the API over proxy events: routing, validation, the error model, CORS, and one
 * report per finished request ({@link RequestLog}). Never throws: bad input is a typed 4xx, a bug is a bare 500 with a request id.
 */
public final class ApiRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);

    private final RecommendationService service;
    private final ExperimentReport experiments;
    private final Supplier<Map<String, Object>> health;
    private final Cors cors;
    private final Access access;
    private final int maxBodyBytes;
    private final RequestLog requests;

    public ApiRouter(RecommendationService service, ExperimentReport experiments, Supplier<Map<String, Object>> health,
                     Cors cors, Access access, int maxBodyBytes, RequestLog requests) {
        this.service = service;
        this.access = access;
        this.experiments = experiments;
        this.health = health;
        this.cors = cors;
        this.maxBodyBytes = maxBodyBytes;
        this.requests = requests;
    }

    public ProxyResponse handle(ProxyRequest req, String requestId) {
        long start = System.nanoTime();
        String template = "unmatched";
        Served served = null;
        ProxyResponse response;
        String origin = req.header("Origin");
        try {
            String method = req.httpMethod() == null ? "" : req.httpMethod().toUpperCase(Locale.ROOT);
            Route route = Route.match(Requests.segments(req.path()));
            if (route == null) {
                throw ApiError.notFound("no route for " + method + " " + truncate(req.path()));
            }
            template = route.template();
            if (method.equals("OPTIONS")) {
                Map<String, String> h = cors.preflightHeaders(origin, route.method());
                h.put("Allow", route.method() + ", OPTIONS");
                response = new ProxyResponse(204, h, "", false);
            } else if (!method.equals(route.method())) {
                Map<String, String> h = new LinkedHashMap<>(cors.headersFor(origin));
                h.put("Allow", route.method() + ", OPTIONS");
                response = error(ApiError.methodNotAllowed(route.template() + " allows " + route.method()), requestId, h);
            } else {
                Object result = dispatch(route, req, access.caller(route, req), requestId);
                if (result instanceof Served s) {
                    served = s;
                    result = s.answer();
                }
                response = ok(result, requestId, origin);
            }
        } catch (RequestRejected e) {
            response = error(ApiError.of(e), requestId, cors.headersFor(origin));
        } catch (ApiError e) {
            response = error(e, requestId, cors.headersFor(origin));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("unhandled error", entry("request_id", requestId), e);
            response = new ProxyResponse(500, headers(requestId, cors.headersFor(origin)),
                    ErrorBody.json("internal_error", "internal error", requestId), false);
        }
        requests.finished(template, response.statusCode(), (System.nanoTime() - start) / 1e6, requestId, served);
        return response;
    }

    /** @return a {@link Served} answer for the recommendation routes, else the body */
    private Object dispatch(Route route, ProxyRequest req, Access.Caller caller, String requestId) {
        return switch (route) {
            case RECOMMEND -> {
                JsonNode body = Requests.jsonBody(req, maxBodyBytes);
                String userId = Requests.idField(body, "user_id");
                Access.requireUser(caller, userId);
                RequestOptions options = Requests.options(body);
                yield service.recommendForUser(Exposure.RECOMMEND, userId,
                        Requests.limitWith(Requests.limitField(body, "num_results"), options, "num_results"), options, requestId);
            }
            case USER_RECOMMENDATIONS -> {
                String userId = Requests.id(pathParam(req, "userId", 1), "user_id");
                Access.requireUser(caller, userId);
                rejectRepeated(req, "limit", "filter", "filter_values", "metadata_columns");
                RequestOptions options = Requests.options(req);
                yield service.recommendForUser(Exposure.USER_RECOMMENDATIONS, userId,
                        Requests.limitWith(Requests.limit(req.query("limit"), "limit"), options, "limit"), options, requestId);
            }
            case SIMILAR_ITEMS -> {
                String itemId = Requests.id(pathParam(req, "itemId", 1), "item_id");
                rejectRepeated(req, "limit", "user_id", "filter", "filter_values", "metadata_columns");
                String user = optionalUser(req, caller);
                RequestOptions options = Requests.options(req);
                yield service.similarItems(itemId, user, Requests.limitWith(Requests.limit(req.query("limit"), "limit"), options, "limit"),
                        options, requestId);
            }
            case RANKINGS -> {
                JsonNode body = Requests.jsonBody(req, maxBodyBytes);
                String userId = Requests.idField(body, "user_id");
                Access.requireUser(caller, userId);
                RequestOptions options = Requests.options(body);
                List<String> items = Requests.idList(body, "item_ids");
                if (!options.metadataColumns().isEmpty() && items.size() > Requests.MAX_LIMIT_WITH_METADATA) {
                    throw ApiError.badRequest("invalid_item_ids", "with metadata_columns, item_ids may hold at most "
                            + Requests.MAX_LIMIT_WITH_METADATA + " items");
                }
                yield service.rank(userId, items, options);
            }
            case TRENDING -> {
                rejectRepeated(req, "limit", "user_id", "filter", "filter_values", "metadata_columns");
                String user = optionalUser(req, caller);
                RequestOptions options = Requests.options(req);
                yield service.trending(user, Requests.limitWith(Requests.limit(req.query("limit"), "limit"), options, "limit"),
                        options, requestId);
            }
            case POPULAR -> {
                rejectRepeated(req, "limit", "user_id", "filter", "filter_values", "metadata_columns");
                String user = optionalUser(req, caller);
                RequestOptions options = Requests.options(req);
                yield service.popular(user, Requests.limitWith(Requests.limit(req.query("limit"), "limit"), options, "limit"), options);
            }
            case EXPERIMENTS -> {
                rejectRepeated(req, "experiment");
                String experiment = req.query("experiment") == null ? null : Requests.id(req.query("experiment"), "experiment");
                yield experiments.report(experiment);
            }
            case HEALTH -> health.get();
        };
    }

    /** The optional {@code user_id} query parameter, which the caller must be allowed to ask about. */
    private static String optionalUser(ProxyRequest req, Access.Caller caller) {
        String user = req.query("user_id") == null ? null : Requests.id(req.query("user_id"), "user_id");
        if (user != null) Access.requireUser(caller, user);
        return user;
    }

    /** The gateway's decoded path parameter when it mapped one, else the decoded path segment. */
    private static String pathParam(ProxyRequest req, String name, int segment) {
        if (req.pathParameters() != null && req.pathParameters().get(name) != null) {
            return req.pathParameters().get(name);
        }
        return Requests.segments(req.path()).get(segment);
    }

    private static void rejectRepeated(ProxyRequest req, String... names) {
        for (String n : names) {
            if (req.queryRepeated(n)) {
                throw ApiError.badRequest("invalid_" + n, n + " may be given once");
            }
        }
    }

    private ProxyResponse ok(Object body, String requestId, String origin) {
        try {
            return new ProxyResponse(200, headers(requestId, cors.headersFor(origin)), Json.MAPPER.writeValueAsString(body), false);
        } catch (Exception e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }

    private static ProxyResponse error(ApiError e, String requestId, Map<String, String> extra) {
        return new ProxyResponse(e.status(), headers(requestId, extra), ErrorBody.json(e.code(), e.getMessage(), requestId), false);
    }

    private static Map<String, String> headers(String requestId, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Cache-Control", "no-store");
        h.put("X-Request-Id", requestId);
        h.putAll(extra);
        return h;
    }

    private static String truncate(String s) {
        if (s == null) {
            return "(no path)";
        }
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
