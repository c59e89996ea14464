package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.process.Ports;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM must end the task within ECS's stop timeout even when every AWS endpoint is unreachable. */
class ShutdownIT {

    @Test
    void sigtermExitsInBoundedTimeWhenEveryServiceIsDown(@TempDir Path dir) throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + Ports.freePort()); // nothing listens there
        Endpoints nowhere = new Endpoints(dead, dead, dead, dead, null, Endpoints.REGION, Endpoints.ACCOUNT_ID,
                Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY);
        ConsumerSetup setup = new ConsumerSetup("shutdown", nowhere).kcl("gracefulShutdownMillis", "5000");
        setup.s3Endpoint(dead.toString()); // stores "pre-exist": nothing to create at start
        try (ChildConsumer consumer = ChildConsumer.start(setup.writeConfig(dir, "w1"), dir, "w1")) {
            Await.until("the KCL worker to start", java.time.Duration.ofSeconds(60),
                    () -> consumer.logContains("KCL worker"), consumer::logTail);
            Await.sleep(3_000); // the KCL is now retrying its lease table against a dead endpoint
            long t0 = System.nanoTime();
            int exit = consumer.terminate(45);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(exit).isIn(0, 143);
            assertThat(seconds).as("exit within graceful budget + hard stop, far below ECS's 120 s").isLessThan(30);
        }
    }
}
