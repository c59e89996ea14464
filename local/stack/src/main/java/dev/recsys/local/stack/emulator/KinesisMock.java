package dev.recsys.local.stack.emulator;

import dev.recsys.local.stack.process.ChildProcess;
import dev.recsys.local.stack.process.LocalToolsDir;
import dev.recsys.local.stack.process.PortClashException;
import dev.recsys.local.stack.process.Ports;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** kinesis-mock: TLS (HTTP/2, self-signed) and plain HTTP ports. It binds every interface; we only use loopback. */
public final class KinesisMock implements Emulator {

    private static final String FAST = "200ms";
    private static final String LIST_STREAMS = "Kinesis_20131202.ListStreams";
    private static final String JSON_1_1 = "application/x-amz-json-1.1";
    private static final List<String> DURATIONS = List.of(
            "CREATE_STREAM_DURATION", "DELETE_STREAM_DURATION", "REGISTER_STREAM_CONSUMER_DURATION",
            "DEREGISTER_STREAM_CONSUMER_DURATION", "MERGE_SHARDS_DURATION", "SPLIT_SHARD_DURATION",
            "UPDATE_SHARD_COUNT_DURATION", "UPDATE_STREAM_MODE_DURATION", "START_STREAM_ENCRYPTION_DURATION",
            "STOP_STREAM_ENCRYPTION_DURATION");

    private final ChildProcess process;
    private final int tlsPort;
    private final int plainPort;

    private KinesisMock(ChildProcess process, int tlsPort, int plainPort) {
        this.process = process;
        this.tlsPort = tlsPort;
        this.plainPort = plainPort;
    }

    /** @param region the stack's region and account (from {@code Endpoints}): stream ARNs name them */
    public static KinesisMock start(LocalToolsDir tools, Layout layout, String region, String accountId) {
        return PortClashException.retrying(() -> attempt(tools, layout, region, accountId));
    }

    private static KinesisMock attempt(LocalToolsDir tools, Layout layout, String region, String accountId) {
        int tls = Ports.freePort();
        int plain = Ports.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("KINESIS_MOCK_CERT_PATH", tools.kinesisMockCert().toString());
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tls));
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plain));
        env.put("LOG_LEVEL", "WARN");
        env.put("AWS_REGION", region);
        env.put("AWS_ACCOUNT_ID", accountId);
        DURATIONS.forEach(d -> env.put(d, FAST));
        if (layout.persistent()) {
            env.put("SHOULD_PERSIST_DATA", "true");
            env.put("PERSIST_PATH", layout.data("kinesis").toString());
            env.put("PERSIST_INTERVAL", "1s");
        }
        ChildProcess child = ChildProcess.start("kinesis-mock", List.of(tools.node(), tools.kinesisMockMain().toString()),
                env, layout.data("kinesis"), layout.log("kinesis"));
        KinesisMock mock = new KinesisMock(child, tls, plain);
        try {
            AtomicBoolean plainAnswered = new AtomicBoolean();
            AtomicBoolean tlsAnswered = new AtomicBoolean();
            Ports.await("kinesis-mock on ports " + tls + "/" + plain, layout.startupTimeout(), child,
                    () -> answered(plainAnswered, Ports.answersAwsJson(plain, LIST_STREAMS, JSON_1_1))
                            & answered(tlsAnswered, Ports.answersAwsJsonOverTls(tls, LIST_STREAMS, JSON_1_1)),
                    () -> "plain port " + (plainAnswered.get() ? "answered" : "never answered") + ", TLS port "
                            + (tlsAnswered.get() ? "answered" : "never answered"));
            return mock;
        } catch (RuntimeException e) {
            mock.close();
            throw e;
        }
    }

    private static boolean answered(AtomicBoolean ever, boolean now) {
        if (now) ever.set(true);
        return now;
    }

    public URI tlsEndpoint() {
        return URI.create("https://127.0.0.1:" + tlsPort);
    }

    public URI plainEndpoint() {
        return URI.create("http://127.0.0.1:" + plainPort);
    }

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    @Override
    public Optional<String> exitedOnItsOwn() {
        return process.exitReport();
    }

    @Override
    public void close() {
        process.close();
    }
}
