package dev.recsys.consumer.config;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the configuration file from disk, or else from the classpath (the jar ships consumer.yml). */
public final class FileOrClasspathSourceProvider implements ConfigurationSourceProvider {
    @Override
    public InputStream open(String path) throws IOException {
        if (Files.exists(Path.of(path))) {
            return new FileInputStream(path);
        }
        InputStream in = getClass().getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new FileNotFoundException(path + " is neither a file nor a classpath resource");
        }
        return in;
    }
}
