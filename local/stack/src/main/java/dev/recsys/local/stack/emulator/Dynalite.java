package dev.recsys.local.stack.emulator;

import dev.recsys.local.stack.process.ChildProcess;
import dev.recsys.local.stack.process.LocalToolsDir;
import dev.recsys.local.stack.process.PortClashException;
import dev.recsys.local.stack.process.Ports;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** dynalite on 127.0.0.1, in memory or persisted with {@code --path}, started through {@code local/launchers/dynalite.js}. */
public final class Dynalite implements Emulator {

    private final ChildProcess process;
    private final int port;

    private Dynalite(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Dynalite start(LocalToolsDir tools, Layout layout) {
        return PortClashException.retrying(() -> attempt(tools, layout));
    }

    private static Dynalite attempt(LocalToolsDir tools, Layout layout) {
        int port = Ports.freePort();
        List<String> command = new ArrayList<>(List.of(tools.node(), tools.dynaliteLauncher().toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--createTableMs", "50", "--deleteTableMs", "50", "--updateTableMs", "50"));
        if (layout.persistent()) {
            command.addAll(List.of("--path", layout.data("dynamodb").toString()));
        }
        ChildProcess child = ChildProcess.start("dynalite", command, Map.of(), layout.data("dynamodb"),
                layout.log("dynamodb"));
        Dynalite dynalite = new Dynalite(child, port);
        try {
            Ports.await("dynalite on port " + port, layout.startupTimeout(), child,
                    () -> Ports.answersAwsJson(port, "DynamoDB_20120810.ListTables",
                            "application/x-amz-json-1.0"));
            return dynalite;
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
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
