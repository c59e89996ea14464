package dev.recsys.api.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a fake Lambda Extensions API: the extension registers for INVOKE, and after an invocation it
 * asks for the next event only once the handler finished and the exposures were drained — which is
 * what keeps Lambda from freezing the environment with exposures still queued.
 */
class PostInvokeFlushTest {

    private HttpServer api;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger nexts = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/2020-01-01/extension/register", ex -> {
            calls.add("register " + ex.getRequestHeaders().getFirst("Lambda-Extension-Name") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.getResponseHeaders().add("Lambda-Extension-Identifier", "ext-1");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        api.createContext("/2020-01-01/extension/event/next", ex -> {
            int n = nexts.incrementAndGet();
            calls.add("next " + n + " " + ex.getRequestHeaders().getFirst("Lambda-Extension-Identifier"));
            if (n > 1) {
                try {
                    release.await(10, TimeUnit.SECONDS); // the environment would freeze here until the next invoke
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("{\"eventType\":\"INVOKE\",\"requestId\":\"req-" + n + "\",\"deadlineMs\":"
                    + (System.currentTimeMillis() + 10_000) + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        api.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        api.stop(0);
    }

    @Test
    void asksForTheNextEventOnlyAfterTheHandlerFinishedAndTheQueueDrained() throws Exception {
        PostInvokeFlush flush = PostInvokeFlush.register("127.0.0.1:" + api.getAddress().getPort(), budget -> {
            calls.add("drain " + budget.toMillis());
            Thread.sleep(150);
        }, Duration.ofMillis(400));
        await().atMost(Duration.ofSeconds(5)).until(() -> nexts.get() == 1);
        assertThat(calls.get(0)).isEqualTo("register recsys-exposures {\"events\":[\"INVOKE\"]}");
        Thread.sleep(300);
        assertThat(calls).as("still inside the invocation: no drain, no next").containsExactly(calls.get(0), "next 1 ext-1");

        flush.finished("req-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> nexts.get() == 2);
        assertThat(calls).containsExactly(calls.get(0), "next 1 ext-1", "drain 400", "next 2 ext-1");
    }

    @Test
    void registrationFailureIsReportedSoTheCallerRunsWithoutTheHook() {
        api.removeContext("/2020-01-01/extension/register");
        api.createContext("/2020-01-01/extension/register", ex -> {
            ex.sendResponseHeaders(403, -1);
            ex.close();
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PostInvokeFlush.register("127.0.0.1:" + api.getAddress().getPort(),
                b -> { }, Duration.ofMillis(100))).isInstanceOf(IOException.class).hasMessageContaining("403");
    }
}
