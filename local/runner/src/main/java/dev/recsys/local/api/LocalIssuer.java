package dev.recsys.local.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.common.contract.Contract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The offline stand-in of the Cognito user pool: an RSA key (generated per run, never written anywhere), its JWKS at
 * {@code /.well-known/jwks.json} and a client-credentials token endpoint at {@code /oauth2/token}, on 127.0.0.1.
 * Tokens have the claims of Cognito access tokens (iss, sub, client_id, token_use=access, scope, username for end
 * users) and the contract's scopes; signing and verification are nimbus-jose-jwt's.
 */
public final class LocalIssuer implements AutoCloseable {

    public static final String USER_CLIENT_ID = "local-web-client";
    public static final String MACHINE_CLIENT_ID = "local-machine-client";
    private static final Duration TOKEN_TTL = Duration.ofHours(1);

    private final RSAKey key;
    private final String machineSecret;
    private final HttpServer server;

    private LocalIssuer() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
        machineSecret = UUID.randomUUID().toString().replace("-", "");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.createContext("/oauth2/token", this::token);
        server.start();
    }

    public static LocalIssuer start() {
        try {
            return new LocalIssuer();
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException("local issuer could not start", e);
        }
    }

    /** The issuer, {@code http://127.0.0.1:PORT} (on AWS: {@code https://cognito-idp.<region>.amazonaws.com/<pool id>}). */
    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI jwksUri() {
        return issuer().resolve("/.well-known/jwks.json");
    }

    public URI tokenUri() {
        return issuer().resolve("/oauth2/token");
    }

    /** The machine client's secret (client-credentials flow at {@link #tokenUri()}). */
    public String machineSecret() {
        return machineSecret;
    }

    /** An end user's access token, as the hosted UI's authorization-code flow would return it. */
    public String userToken(String username) {
        Contract.Auth auth = Contract.get().api().auth();
        return sign(claims(USER_CLIENT_ID, TOKEN_TTL)
                .subject(UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString())
                .claim("username", username)
                .claim("scope", "openid " + auth.userScopeName()).build());
    }

    /** A machine caller's access token with the any-user scope, as the client-credentials flow returns it. */
    public String machineToken() {
        return sign(claims(MACHINE_CLIENT_ID, TOKEN_TTL).subject(MACHINE_CLIENT_ID)
                .claim("scope", Contract.get().api().auth().anyUserScopeName()).build());
    }

    /** A token signed by this issuer with the given claims added (tests: expired, foreign scopes, ...). */
    public String token(String clientId, Duration ttl, Map<String, Object> extra) {
        JWTClaimsSet.Builder b = claims(clientId, ttl).subject(clientId);
        extra.forEach(b::claim);
        return sign(b.build());
    }

    private JWTClaimsSet.Builder claims(String clientId, Duration ttl) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer().toString()).claim("client_id", clientId).claim("token_use", "access")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl))).jwtID(UUID.randomUUID().toString());
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            respond(exchange, 200, new JWKSet(key.toPublicJWK()).toString(true));
        }
    }

    /** Client credentials only (what machine callers use); errors as Cognito's: 400 with an OAuth error code. */
    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"invalid_request\"}");
                return;
            }
            Map<String, String> form = form(new String(exchange.getRequestBody().readNBytes(8192), StandardCharsets.UTF_8));
            if (!"client_credentials".equals(form.get("grant_type"))) {
                respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            if (!clientAuthenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 400, "{\"error\":\"invalid_client\"}");
                return;
            }
            String scope = form.get("scope");
            String allowed = Contract.get().api().auth().anyUserScopeName();
            if (scope != null && !scope.equals(allowed)) {
                respond(exchange, 400, "{\"error\":\"invalid_scope\"}");
                return;
            }
            respond(exchange, 200, "{\"access_token\":\"" + machineToken() + "\",\"expires_in\":" + TOKEN_TTL.toSeconds()
                    + ",\"token_type\":\"Bearer\"}");
        }
    }

    private boolean clientAuthenticated(String header) {
        if (header == null || !header.startsWith("Basic ")) return false;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (MACHINE_CLIENT_ID + ":" + machineSecret).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, decoded.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
