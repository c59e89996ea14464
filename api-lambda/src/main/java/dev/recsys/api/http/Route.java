package dev.recsys.api.http;

import java.util.List;

/** The API's routes: path shape, allowed method, and the metric/log name. */
public enum Route {
    RECOMMEND("POST", "recommendations"),
    USER_RECOMMENDATIONS("GET", "users", "*", "recommendations"),
    SIMILAR_ITEMS("GET", "items", "*", "similar"),
    RANKINGS("POST", "rankings"),
    EXPERIMENTS("GET", "experiments"),
    HEALTH("GET", "health");

    private final String method;
    private final List<String> shape;

    Route(String method, String... shape) {
        this.method = method;
        this.shape = List.of(shape);
    }

    public String method() {
        return method;
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
        StringBuilder sb = new StringBuilder();
        for (String s : shape) {
            sb.append('/').append(s.equals("*") ? (this == USER_RECOMMENDATIONS ? "{userId}" : "{itemId}") : s);
        }
        return sb.toString();
    }
}
