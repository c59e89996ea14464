package dev.recsys.local.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to start and where to keep state.
 *
 * @param services       the emulators to start
 * @param stateDir       a named directory keeps data across runs (dynalite {@code --path}, kinesis-mock persistence,
 *                       S3 filesystem store) and is never deleted; when empty, data lives in memory and a temporary
 *                       directory (logs only) is deleted on close
 * @param startupTimeout how long each emulator may take to become ready
 */
public record StackOptions(Set<Service> services, Optional<Path> stateDir, Duration startupTimeout) {

    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    public StackOptions {
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        if (services.isEmpty()) {
            throw new IllegalArgumentException("select at least one service");
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive");
        }
        services = Set.copyOf(EnumSet.copyOf(services));
    }

    public static StackOptions all() {
        return new StackOptions(EnumSet.allOf(Service.class), Optional.empty(), DEFAULT_STARTUP_TIMEOUT);
    }

    public static StackOptions of(Service... services) {
        if (services.length == 0) {
            throw new IllegalArgumentException("select at least one service");
        }
        return new StackOptions(EnumSet.of(services[0], services), Optional.empty(), DEFAULT_STARTUP_TIMEOUT);
    }

    /** The same services, keeping their data in {@code dir} across runs. */
    public StackOptions withStateDir(Path dir) {
        return new StackOptions(services, Optional.of(dir), startupTimeout);
    }

    public StackOptions withStartupTimeout(Duration timeout) {
        return new StackOptions(services, stateDir, timeout);
    }

    public boolean has(Service service) {
        return services.contains(service);
    }
}
