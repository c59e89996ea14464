package dev.recsys.api.http;

import dev.recsys.common.contract.Contract;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API's routes: path shape, allowed method, and the metric/log name. Each constant is the contract's
 * {@code api.routes} entry of its name in lower case ({@code USER_RECOMMENDATIONS}: {@code user_recommendations}),
 * which gives its method and template; the gateway is built from the same entries. A route in the contract without
 * a constant here, or the other way round, fails at class load.
 */
public enum Route {
    RECOMMEND,
    USER_RECOMMENDATIONS,
    SIMILAR_ITEMS,
    RANKINGS,
    TRENDING,
    POPULAR,
    EXPERIMENTS,
    HEALTH;

    static {
        Set<String> constants = Arrays.stream(values()).map(Route::contractKey).collect(Collectors.toSet());
        if (!constants.equals(Contract.get().api().routes().keySet())) {
            throw new IllegalStateException("the contract's api.routes " + Contract.get().api().routes().keySet()
                    + " must be exactly the routes the router serves " + constants);
        }
    }

    private final String method;
    private final String template;
    private final Contract.Caller auth;
    /** The template's segments, a path parameter as {@code *}. */
    private final List<String> shape;

    Route() {
        Contract.ApiRoute route = Contract.get().api().route(contractKey());
        this.method = route.method();
        this.template = route.template();
        this.auth = route.auth();
        this.shape = Arrays.stream(template.substring(1).split("/"))
                .map(s -> s.startsWith("{") ? "*" : s).toList();
    }

    /** This route's key in the contract's {@code api.routes}. */
    public String contractKey() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String method() {
        return method;
    }

    /** Who may call it (the contract's {@code auth}): the gateway's authorizer and {@link Access} both enforce it. */
    public Contract.Caller auth() {
        return auth;
    }

    /** The route whose shape these segments have, regardless of method; null if none. */
    public static Route match(List<String> segments) {
        for (Route r : values()) {
            if (r.shape.size() == segments.size()) {
                boolean ok = true;
                for (int i = 0; i < segments.size() && ok; i++) {
                    ok = r.shape.get(i).equals("*") ? !segments.get(i).isEmpty() : r.shape.get(i).equals(segments.get(i));
                }
                if (ok) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The OpenAPI-style template, used as the metric dimension (never the raw path: unbounded). */
    public String template() {
        return template;
    }
}
