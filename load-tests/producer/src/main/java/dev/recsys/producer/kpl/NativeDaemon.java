package dev.recsys.producer.kpl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;

/**
 * The KPL's native daemon, started in a session of its own. A terminal's Ctrl-C signals the whole
 * foreground process group; the daemon would die from it at once, the KPL would restart it (its
 * failure behaviour is fixed to AutoRestart) while the owner is closing the producer, and the new
 * daemon would outlive the producer. In its own session only the owner decides when it stops.
 * Only where {@code setsid} exists (Linux); elsewhere the KPL starts its daemon as it always does.
 */
final class NativeDaemon {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final String RESOURCES = "amazon-kinesis-producer-native-binaries/";

    private NativeDaemon() {}

    /**
     * A launcher for {@link software.amazon.kinesis.producer.KinesisProducerConfiguration#setNativeExecutable}:
     * the KPL's own binary, unpacked into {@code dir} once (reused while its size matches), run through setsid.
     */
    static Optional<Path> ownSessionLauncher(Path dir) {
        String platform = platform();
        if (platform == null || !Files.isExecutable(SETSID)) return Optional.empty();
        String resource = RESOURCES + platform + "/kinesis_producer";
        try (InputStream in = NativeDaemon.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            Path binary = dir.resolve("kinesis_producer-" + platform);
            long size = size(resource);
            if (!Files.isExecutable(binary) || Files.size(binary) != size) {
                Path partial = Files.createTempFile(dir, "kinesis_producer", ".partial");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Path launcher = dir.resolve("kinesis_producer-own-session.sh");
            String script = "#!/bin/sh\nexec " + SETSID + " '" + binary + "' \"$@\"\n";
            if (!Files.exists(launcher) || !Files.readString(launcher, StandardCharsets.UTF_8).equals(script)) {
                Path partial = Files.createTempFile(dir, "launcher", ".partial");
                Files.writeString(partial, script, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(partial, launcher, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return Optional.of(launcher);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the KPL daemon into " + dir, e);
        }
    }

    private static long size(String resource) throws IOException {
        var connection = NativeDaemon.class.getClassLoader().getResource(resource).openConnection();
        long length = connection.getContentLengthLong();
        if (length >= 0) return length;
        try (InputStream in = connection.getInputStream()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static String platform() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) return null;
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64") || arch.equals("x86_64")) return "linux-x86_64";
        if (arch.equals("aarch64") || arch.equals("arm64")) return "linux-aarch64";
        return null;
    }
}
