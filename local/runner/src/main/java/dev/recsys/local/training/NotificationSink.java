package dev.recsys.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Local stand-in for {@code arn:aws:states:::sns:publish}: each message is kept in memory (for tests)
 * and appended as one JSON line to the notifications log (for people).
 */
public final class NotificationSink implements TaskFunction {

    public static final String RESOURCE = "arn:aws:states:::sns:publish";

    /** One published message. */
    public record Notification(String topicArn, String subject, String message, String publishedAt) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path logFile;
    private final Clock clock;
    private final List<Notification> published = new ArrayList<>();

    public NotificationSink(Path logFile, Clock clock) {
        this.logFile = logFile;
        this.clock = clock;
    }

    @Override
    public JsonNode invoke(JsonNode input) throws IOException {
        String topic = input.path("TopicArn").asText("");
        String message = input.path("Message").asText("");
        if (topic.isBlank() || message.isBlank()) {
            throw new TaskFailure("SNS.InvalidParameterException", "sns:publish needs TopicArn and Message");
        }
        Notification n = new Notification(topic, input.path("Subject").asText(null), message, clock.instant().toString());
        synchronized (this) {
            published.add(n);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, JSON.writeValueAsString(n) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return JSON.valueToTree(Map.of("MessageId", UUID.randomUUID().toString()));
    }

    public synchronized List<Notification> published() {
        return List.copyOf(published);
    }

    public Path logFile() {
        return logFile;
    }
}
