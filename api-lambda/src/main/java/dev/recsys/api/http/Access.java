package dev.recsys.api.http;

import dev.recsys.common.contract.Contract;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Caller identity. On AWS the gateway's Cognito user-pool authorizer has verified the token (signature, expiry,
 * issuer, one of the method's scopes) and passes its claims; offline the local adapter verifies it the same way. Here
 * the handler decides what the verified caller may ask for: an end user only for themselves, a machine caller with the
 * any-user scope for anyone. API keys are throttling, never identity. Mode {@code none} (tests, benchmarks) checks nothing.
 */
public final class Access {

    public enum Mode { JWT, NONE }

    private static final Contract.Auth AUTH = Contract.get().api().auth();

    private final Mode mode;
    private final String userClaim;

    private Access(Mode mode, String userClaim) {
        this.mode = mode;
        this.userClaim = userClaim;
    }

    /**
     * @param mode      "jwt" (also when unset: identity is checked unless a deployment says otherwise) or "none"
     * @param userClaim the claim naming the user; unset: the contract's api.auth.default_user_claim
     */
    public static Access parse(String mode, String userClaim) {
        Mode m;
        try {
            m = mode == null ? Mode.JWT : Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth mode must be jwt or none, not " + mode);
        }
        String claim = userClaim == null || userClaim.isBlank() ? AUTH.defaultUserClaim() : userClaim.trim();
        if (!claim.matches("[A-Za-z0-9:_.-]{1,64}")) throw new IllegalArgumentException("invalid user claim name: " + claim);
        return new Access(m, claim);
    }

    public static Access none() {
        return new Access(Mode.NONE, AUTH.defaultUserClaim());
    }

    public Mode mode() {
        return mode;
    }

    public String userClaim() {
        return userClaim;
    }

    /** A verified caller: the user the token names (null for a machine token) and its scopes. */
    public record Caller(String user, Set<String> scopes, boolean unchecked) {
        static final Caller UNCHECKED = new Caller(null, Set.of(), true);

        boolean anyUser() {
            return unchecked || scopes.contains(AUTH.anyUserScopeName());
        }
    }

    /** The caller of {@code route}: 401 when the route needs a token and the request carries none, 403 when its scopes do not fit. */
    public Caller caller(Route route, ProxyRequest req) {
        if (mode == Mode.NONE || route.auth() == Contract.Caller.NONE) return Caller.UNCHECKED;
        Map<String, Object> claims = req.claims();
        if (claims == null || claims.isEmpty()) throw ApiError.unauthorized("this route needs a bearer token");
        Object scope = claims.get("scope");
        Set<String> scopes = scope == null ? Set.of()
                : Arrays.stream(scope.toString().trim().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        Object user = claims.get(userClaim);
        Caller caller = new Caller(user == null || user.toString().isBlank() ? null : user.toString(), scopes, false);
        List<String> admitting = AUTH.scopesFor(route.auth()); // the same scopes the gateway's authorizer checks
        if (admitting.stream().noneMatch(scopes::contains)) {
            throw ApiError.forbidden(route.template() + " needs the " + String.join(" or ", admitting) + " scope");
        }
        return caller;
    }

    /** 403 unless {@code caller} may ask about {@code userId}: itself, or anyone with the any-user scope. */
    public static void requireUser(Caller caller, String userId) {
        if (caller.anyUser()) return;
        if (caller.user() == null) throw ApiError.forbidden("the token names no user");
        if (!caller.user().equals(userId)) {
            throw ApiError.forbidden("the token's user may ask only for its own recommendations");
        }
    }
}
