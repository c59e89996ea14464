package dev.recsys.local.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.recsys.api.http.Route;
import dev.recsys.common.contract.Contract;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway's Cognito user-pool authorizer does before the integration, offline: the token from the
 * {@code Authorization} header (with or without {@code Bearer}) verified against the issuer's JWKS (RS256 signature,
 * issuer, expiry, {@code token_use = access}) and one of the method's scopes (the contract's route auth: user routes
 * take the user or any-user scope, machine routes the any-user scope). Its claims then go to the handler in
 * {@code requestContext.authorizer.claims}, as strings like API Gateway passes them. A missing, invalid or
 * out-of-scope token is the gateway's 401 and never reaches the handler.
 */
public final class TokenAuthorizer {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public TokenAuthorizer(URI issuer, URI jwks) {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(jwks.toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("invalid JWKS URI " + jwks, e);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer.toString()).claim("token_use", "access").build(),
                Set.of("sub", "exp", "iat", "client_id", "scope")));
    }

    public static TokenAuthorizer of(LocalIssuer issuer) {
        return new TokenAuthorizer(issuer.issuer(), issuer.jwksUri());
    }

    /** The scopes that admit a caller to {@code route} (empty: no authorizer on the method). */
    static List<String> scopes(Route route) {
        return Contract.get().api().auth().scopesFor(route.auth());
    }

    /**
     * @return the claims to pass on, or null when the request is unauthorized
     */
    public Map<String, String> authorize(Route route, String authorization) {
        if (authorization == null || authorization.isBlank()) return null;
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization.trim();
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (Exception e) {
            return null; // bad signature, expired, wrong issuer or token type, unparseable: all the gateway's 401
        }
        Object scope = claims.getClaim("scope");
        Set<String> granted = scope == null ? Set.of() : Set.copyOf(Arrays.asList(scope.toString().trim().split("\\s+")));
        if (scopes(route).stream().noneMatch(granted::contains)) return null;
        Map<String, String> out = new LinkedHashMap<>();
        claims.getClaims().forEach((k, v) -> out.put(k, v instanceof Date d ? d.toString() : String.valueOf(v)));
        return out;
    }
}
