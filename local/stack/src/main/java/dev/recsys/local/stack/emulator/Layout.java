package dev.recsys.local.stack.emulator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where an emulator keeps its files and how long it may take to start.
 *
 * @param stateDir       the stack's directory; logs go to {@code logs/}, data to a folder per service
 * @param persistent     keep data on disk in {@code stateDir} rather than in memory
 * @param startupTimeout deadline for readiness
 */
public record Layout(Path stateDir, boolean persistent, Duration startupTimeout) {

    public Path log(String service) {
        return stateDir.resolve("logs").resolve(service + ".log");
    }

    public Path data(String service) {
        return stateDir.resolve(service);
    }
}
