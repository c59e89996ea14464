package dev.recsys.local.stack.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository's {@code local/} folder: {@code package.json} plus the pinned npm emulators in {@code node_modules}.
 * Found through system property {@code recsys.local.dir}, env {@code RECSYS_LOCAL_DIR}, system property
 * {@code recsys.repo.root} (set by failsafe), or by walking up from the working directory.
 */
public record LocalToolsDir(Path dir) {

    private static final Logger LOG = LoggerFactory.getLogger(LocalToolsDir.class);
    private static final Object INSTALL_LOCK = new Object();

    public static LocalToolsDir locate() {
        String explicit = System.getProperty("recsys.local.dir");
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv("RECSYS_LOCAL_DIR");
        }
        if (explicit != null && !explicit.isBlank()) {
            return checked(Path.of(explicit), "recsys.local.dir / RECSYS_LOCAL_DIR");
        }
        String root = System.getProperty("recsys.repo.root");
        if (root != null && !root.isBlank() && Files.isRegularFile(Path.of(root, "local", "package.json"))) {
            return new LocalToolsDir(Path.of(root, "local").toAbsolutePath().normalize());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("local/package.json"))) {
                return new LocalToolsDir(p.resolve("local").normalize());
            }
        }
        throw new LocalStackException("cannot find the local/ tools folder (local/package.json) above "
                + Path.of("").toAbsolutePath() + "; set -Drecsys.local.dir or RECSYS_LOCAL_DIR");
    }

    private static LocalToolsDir checked(Path dir, String source) {
        if (!Files.isRegularFile(dir.resolve("package.json"))) {
            throw new LocalStackException(source + " points at " + dir + ", which has no package.json");
        }
        return new LocalToolsDir(dir.toAbsolutePath().normalize());
    }

    public Path kinesisMockMain() {
        return dir.resolve("node_modules/kinesis-local/main.js");
    }

    public Path kinesisMockCert() {
        return dir.resolve("node_modules/kinesis-local/server.json");
    }

    public Path dynaliteCli() {
        return dir.resolve("node_modules/dynalite/cli.js");
    }

    /** dynalite's command line behind a guard that keeps it up when a client disconnects mid-request. */
    public Path dynaliteLauncher() {
        return dir.resolve("launchers/dynalite.js");
    }

    /** The pinned Node 22 from node_modules when present, else {@code node} on the PATH. */
    public String node() {
        Path pinned = dir.resolve("node_modules/.bin/node");
        return Files.isExecutable(pinned) ? pinned.toString() : "node";
    }

    /** Runs {@code npm ci} once when the emulators are missing (serialised across threads and processes). */
    public LocalToolsDir ensureInstalled() {
        if (installed()) {
            return this;
        }
        synchronized (INSTALL_LOCK) {
            try (FileChannel ch = FileChannel.open(dir.resolve(".npm-ci.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (!installed()) {
                    npmCi();
                }
            } catch (IOException e) {
                throw new LocalStackException("cannot lock " + dir + " for npm ci: " + e.getMessage(), e);
            }
        }
        return this;
    }

    private boolean installed() {
        return Files.isRegularFile(kinesisMockMain()) && Files.isRegularFile(dynaliteCli());
    }

    private void npmCi() {
        LOG.info("local emulators missing: running `npm ci --no-audit --no-fund` in {} (once)", dir);
        Path log = dir.resolve("npm-ci.log");
        try {
            Process p = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new LocalStackException("npm ci in " + dir + " timed out; see " + log);
            }
            if (p.exitValue() != 0 || !installed()) {
                throw new LocalStackException("npm ci in " + dir + " failed (exit " + p.exitValue() + "):\n"
                        + ChildProcess.tail(log, 2_000));
            }
        } catch (IOException e) {
            throw new LocalStackException("cannot run npm ci in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted during npm ci in " + dir);
        }
    }
}
