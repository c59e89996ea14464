package dev.recsys.local.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Stands in for a function's CloudWatch log group: its log lines (its code's logger, e.g. {@code dev.recsys.api}) into a
 * JSON Lines file beside its EMF documents. On Lambda log4j with Powertools' layout writes them; here the runner's
 * logback does, with its own JSON encoder (the Lambda context then under "mdc"): the code that logs is the same.
 */
public final class FunctionLog {

    private FunctionLog() {}

    /** @param logger the function's package, e.g. {@code dev.recsys.api} */
    public static void to(String logger, Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithFormattedMessage(true); // "task startImport done", not the template
        encoder.setWithMessage(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(logger + "-function-log");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        Logger functionLogger = context.getLogger(logger);
        functionLogger.detachAndStopAllAppenders();
        functionLogger.setLevel(Level.INFO);
        functionLogger.setAdditive(false); // not on the terminal: `recsys up` prints its own progress
        functionLogger.addAppender(appender);
    }

    /** Appends lines (EMF documents) to the same file, as the function's stdout goes to its log group on Lambda. */
    public static Consumer<String> lines(Path file) {
        return line -> {
            try {
                Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
