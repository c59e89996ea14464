package dev.recsys.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.json.Json;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.local.serving.LocalRecommendationApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real browser calls the local API across origins, as a web app would call API Gateway. Headless Chromium (Debian's
 * {@code chromium} driven through its {@code chromium-driver}) loads a page from a second tiny HTTP server — another
 * port, so another origin — whose script {@code fetch()}es {@code /users/alice/recommendations} with {@code x-api-key}
 * and alice's bearer token from the {@link LocalIssuer}, and writes the status and answer into the page. The local
 * gateway runs as {@code recsys up} runs it (API key and authorizer on every user and machine route), the real handler
 * behind it with {@code RECSYS_CORS_ORIGINS} = the page's origin; the model is the adapter tests' in-process echo
 * ({@code for-<user>}) since the gateway and the handler's CORS are under test here, not the model.
 *
 * <p>Checked: the browser's own preflight reaches the handler without token or key and is answered with
 * {@code Access-Control-Allow-Origin} for the configured origin, then the real GET (with key and token) is answered 200
 * with alice's items, read by the page; from an origin not configured the same page's fetch fails with the browser's
 * CORS error, the preflight answer carries no {@code Access-Control-Allow-Origin} and the GET is never sent. With a
 * forged token the gateway's own 401 (never the handler's) is readable by the page from the configured origin, as the
 * stage's gateway responses make it, and not from the other.
 * Screenshots: {@code target/browser-cors-*.png}. Without chromium/chromedriver this fails (run scripts/bootstrap.sh).
 */
class BrowserCorsIT {

    private static final String USER = "alice";

    private static final List<Exchange> reached = new CopyOnWriteArrayList<>();
    private static HttpServer allowedSite;
    private static HttpServer otherSite;
    private static LocalIssuer issuer;
    private static ApiApplication app;
    private static LocalApiServer api;
    private static ChromeDriverService driverService;
    private static ChromeDriver browser;
    private static Path profile;

    /** A proxy event that reached the handler, and the handler's proxy response. */
    record Exchange(JsonNode event, JsonNode response) {
        String method() {
            return event.path("httpMethod").asText();
        }

        /** A request header, case-insensitively (the JDK server normalizes names; browsers send lower case). */
        Optional<String> header(String name) {
            return caseInsensitive(event.path("headers"), name);
        }

        Optional<String> responseHeader(String name) {
            return caseInsensitive(response.path("headers"), name);
        }

        private static Optional<String> caseInsensitive(JsonNode headers, String name) {
            for (Map.Entry<String, JsonNode> h : headers.properties()) {
                if (h.getKey().equalsIgnoreCase(name)) return Optional.of(h.getValue().asText());
            }
            return Optional.empty();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path chromium = onPath("chromium");
        Path chromedriver = onPath("chromedriver");
        if (chromium == null || chromedriver == null) {
            fail("BrowserCorsIT needs Debian's headless browser: " + (chromium == null ? "'chromium' " : "")
                    + (chromedriver == null ? "'chromedriver' " : "") + "not found on PATH (" + System.getenv("PATH")
                    + "). Run scripts/bootstrap.sh (it installs the Debian packages chromium and chromium-driver).");
        }
        issuer = LocalIssuer.start();
        allowedSite = site();
        otherSite = site();
        app = ApiApplication.create(ApiConfig.fromEnvironment(Map.of(
                        "RECSYS_CAMPAIGN_ARN", "arn:aws:personalize:us-east-1:000000000000:campaign/local",
                        "RECSYS_FALLBACK_STATIC_ITEMS", "p1,p2", "RECSYS_AUTH_MODE", "jwt",
                        "RECSYS_CORS_ORIGINS", origin(allowedSite))),
                LocalApiServerTest.ECHO, () -> null, UserHistory.ASSUME_KNOWN, RequestLog.NONE);
        // the gateway as `recsys up` runs it (LocalRecommendationApi): API key and the issuer's tokens required
        api = LocalApiServer.start(LocalApiOptions.open(0).withApiKeys(Set.of(LocalRecommendationApi.API_KEY))
                .withAuthorizer(TokenAuthorizer.of(issuer)).withCorsOrigins(List.of(origin(allowedSite))), recording(new ApiHandler(app)));
        assertThat(origin(allowedSite)).isNotEqualTo(origin(otherSite)).isNotEqualTo(api.uri().toString());

        // RemoteWebDriver's OpenTelemetry tracing is not wanted (and its SDK is kept off the test class path)
        System.setProperty("webdriver.remote.enableTracing", "false");
        profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "browser-cors-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // --no-sandbox: Chromium refuses to run as root with its sandbox (tests here run as root)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--window-size=1000,600",
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort()
                .withLogFile(Path.of("target", "browser-cors-chromedriver.log").toFile()).build();
        browser = new ChromeDriver(driverService, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit(); // ends chromium and chromedriver
        if (driverService != null) driverService.stop();
        if (api != null) api.close();
        if (app != null) app.close();
        if (issuer != null) issuer.close();
        if (allowedSite != null) allowedSite.stop(0);
        if (otherSite != null) otherSite.stop(0);
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover browser profile under target/ is harmless
            }
        }
    }

    @BeforeEach
    void clear() {
        reached.clear();
    }

    @Test
    void aPageFromTheConfiguredOriginReadsTheUsersRecommendations() throws Exception {
        String origin = origin(allowedSite);
        Map<String, String> page = load(allowedSite, "browser-cors-allowed.png");

        assertThat(page.get("status")).as("what the page shows: %s; browser log: %s", page, browserLog()).isEqualTo("status 200");
        JsonNode answer = Json.MAPPER.readTree(page.get("body"));
        assertThat(answer.path("user_id").asText()).isEqualTo(USER);
        assertThat(answer.path("items").findValuesAsText("item_id")).containsExactly("for-" + USER);

        // what the gateway let through: first the browser's own preflight, with neither token nor key ...
        List<Exchange> preflights = exchanges("OPTIONS", origin);
        assertThat(preflights).as("preflights from %s that reached the handler", origin).hasSize(1);
        Exchange pre = preflights.get(0);
        assertThat(pre.header("Authorization")).as("a preflight carries no token").isEmpty();
        assertThat(pre.header("x-api-key")).as("a preflight carries no API key").isEmpty();
        assertThat(pre.header("Access-Control-Request-Method")).hasValue("GET");
        assertThat(pre.header("Access-Control-Request-Headers").orElse("")).contains("authorization").contains("x-api-key");
        assertThat(pre.event().at("/requestContext/authorizer/claims").isMissingNode()).isTrue();
        assertThat(pre.response().path("statusCode").asInt()).isEqualTo(204);
        assertThat(pre.responseHeader("Access-Control-Allow-Origin")).hasValue(origin);
        // ... then the real request, with both, past the authorizer with alice's claims
        List<Exchange> gets = exchanges("GET", origin);
        assertThat(gets).hasSize(1);
        assertThat(gets.get(0).header("x-api-key")).hasValue(LocalRecommendationApi.API_KEY);
        assertThat(gets.get(0).event().at("/requestContext/authorizer/claims/username").asText()).isEqualTo(USER);
        assertThat(gets.get(0).responseHeader("Access-Control-Allow-Origin")).hasValue(origin);
    }

    @Test
    void aPageFromAnotherOriginIsRefusedByTheBrowser() throws Exception {
        String origin = origin(otherSite);
        Map<String, String> page = load(otherSite, "browser-cors-other-origin.png");

        assertThat(page.get("status")).as("what the page shows: %s", page).startsWith("fetch failed: TypeError");
        assertThat(page.get("body")).isEmpty();
        List<String> log = browserLog();
        assertThat(log).as("the browser says why").anyMatch(l -> l.contains("has been blocked by CORS policy")
                && l.contains(origin) && l.contains("Access-Control-Allow-Origin"));

        List<Exchange> preflights = exchanges("OPTIONS", origin);
        assertThat(preflights).as("the preflight from %s reached the handler", origin).hasSize(1);
        assertThat(preflights.get(0).response().path("statusCode").asInt()).isEqualTo(204);
        assertThat(preflights.get(0).responseHeader("Access-Control-Allow-Origin")).as("no CORS grant for %s", origin).isEmpty();
        assertThat(exchanges("GET", origin)).as("the browser never sent the request itself").isEmpty();
    }

    @Test
    void aPageFromTheConfiguredOriginReadsTheGatewaysOwn401() throws Exception {
        String origin = origin(allowedSite);
        Map<String, String> page = load(allowedSite, "?token=expired", "browser-cors-401.png");

        // The authorizer refuses the token before the handler: the page can still tell "sign in again" from an outage.
        assertThat(page.get("status")).as("what the page shows: %s; browser log: %s", page, browserLog()).isEqualTo("status 401");
        assertThat(Json.MAPPER.readTree(page.get("body")).path("message").asText()).isEqualTo("Unauthorized");
        assertThat(exchanges("OPTIONS", origin)).hasSize(1);
        assertThat(exchanges("GET", origin)).as("a refused token never reaches the handler").isEmpty();
    }

    @Test
    void anotherOriginCannotReadTheGatewaysErrorsEither() throws Exception {
        Map<String, String> page = load(otherSite, "?token=expired", "browser-cors-401-other-origin.png");

        assertThat(page.get("status")).as("what the page shows: %s", page).startsWith("fetch failed: TypeError");
        assertThat(exchanges("GET", origin(otherSite))).isEmpty();
    }

    @Test
    void thePreflightAnswerNamesOnlyTheConfiguredOrigin() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(api.uri() + "/users/" + USER + "/recommendations");
        for (String origin : List.of(origin(allowedSite), origin(otherSite), "null")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Origin", origin).header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization,x-api-key")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("OPTIONS from %s", origin).isEqualTo(204);
            if (origin.equals(origin(allowedSite))) {
                assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
            } else {
                assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as("OPTIONS from %s", origin).isEmpty();
            }
        }
    }

    /** Loads the test page from {@code site}, waits for its fetch to finish, saves a screenshot, returns what it shows. */
    private static Map<String, String> load(HttpServer site, String screenshot) throws IOException {
        return load(site, "", screenshot);
    }

    /** {@code query} "?token=expired": the page sends a token the issuer did not sign (the gateway answers 401). */
    private static Map<String, String> load(HttpServer site, String query, String screenshot) throws IOException {
        browser.get(origin(site) + "/" + query);
        Awaitility.await("the page's fetch").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "done".equals(browser.findElement(By.id("done")).getText()));
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", screenshot), StandardCopyOption.REPLACE_EXISTING);
        return Map.of("status", browser.findElement(By.id("status")).getText(),
                "body", browser.findElement(By.id("body")).getText());
    }

    private static List<String> browserLog() {
        List<String> lines = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) lines.add(e.getLevel() + " " + e.getMessage());
        return lines;
    }

    private static List<Exchange> exchanges(String method, String origin) {
        return reached.stream().filter(x -> x.method().equals(method) && x.header("Origin").orElse("").equals(origin)).toList();
    }

    private static RequestStreamHandler recording(ApiHandler handler) {
        return (in, out, ctx) -> {
            byte[] event = in.readAllBytes();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), answer, ctx);
            reached.add(new Exchange(Json.MAPPER.readTree(event), Json.MAPPER.readTree(answer.toByteArray())));
            out.write(answer.toByteArray());
        };
    }

    private static String origin(HttpServer site) {
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    /** A web app's host: serves the test page on 127.0.0.1 at a free port (a port of its own = an origin of its own). */
    private static HttpServer site() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/", BrowserCorsIT::servePage);
        s.start();
        return s;
    }

    private static void servePage(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                // the favicon the browser asks for: nothing, and no 404 line in the browser log
                exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/favicon.ico") ? 204 : 404, -1);
                return;
            }
            boolean badToken = "token=expired".equals(exchange.getRequestURI().getQuery());
            Map<String, String> config = Map.of("api", api.uri().toString(), "user", USER,
                    "key", LocalRecommendationApi.API_KEY, "token", badToken ? forged(issuer.userToken(USER)) : issuer.userToken(USER));
            byte[] html = page(Json.MAPPER.writeValueAsString(config)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(html);
            }
        }
    }

    /** The web app: one cross-origin fetch with the API key and the user's token, its outcome written into the page. */
    private static String page(String configJson) {
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>recsys CORS check</title></head>
                <body style="font-family: sans-serif">
                <h1>Recommendations</h1>
                <p>API answer: <span id="status">pending</span></p>
                <pre id="body" style="white-space: pre-wrap"></pre>
                <p id="done"></p>
                <script>
                const cfg = %s;
                // a URL of its own per load: the browser caches preflight answers by URL (Max-Age), and each test
                // checks its own preflight
                fetch(cfg.api + "/users/" + encodeURIComponent(cfg.user) + "/recommendations?limit=5&load=" + Date.now(), {
                  headers: { "x-api-key": cfg.key, "Authorization": "Bearer " + cfg.token }
                }).then(async r => {
                  const text = await r.text();
                  document.getElementById("status").textContent = "status " + r.status;
                  document.getElementById("body").textContent = text;
                }).catch(e => {
                  document.getElementById("status").textContent = "fetch failed: " + e.name + ": " + e.message;
                }).finally(() => {
                  document.getElementById("done").textContent = "done";
                });
                </script>
                </body></html>
                """.formatted(configJson.replace("</", "<\\/"));
    }

    /**
     * The same token with one character inside its signature changed (not the last: its low bits are padding):
     * well-formed, not the issuer's.
     */
    private static String forged(String token) {
        int i = token.length() - 10;
        char c = token.charAt(i);
        return token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        return Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, program))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst().orElse(null);
    }
}
