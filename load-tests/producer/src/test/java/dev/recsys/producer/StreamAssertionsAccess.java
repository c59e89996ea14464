package dev.recsys.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.EventParser;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.ParseResult;
import dev.recsys.common.event.RecordOrigin;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.producer.readback.UserRecord;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures and checks for the producer ITs (public: the ITs live in sub-packages). */
public final class StreamAssertionsAccess {

    private static final EventParser PARSER = new EventParser();

    private StreamAssertionsAccess() {}

    public static List<InteractionEvent> workload(long seed, int count) {
        List<InteractionEvent> events = new ArrayList<>(count);
        new SyntheticWorkload(SyntheticWorkload.Config.reference(seed, count,
                System.currentTimeMillis() - 5L * count - 60_000)).forEach(events::add);
        return events;
    }

    /** Every user record parses back to exactly one of the sent events, keyed by its user id; none is missing. */
    public static void assertSameEvents(List<UserRecord> read, List<InteractionEvent> sent) {
        List<InteractionEvent> parsed = new ArrayList<>();
        for (UserRecord r : read) {
            ParseResult result = PARSER.parse(r.data(),
                    new RecordOrigin(r.shardId(), r.sequenceNumber(), r.subSequence(), 0));
            assertThat(result).isInstanceOf(ParseResult.Accepted.class);
            InteractionEvent e = ((ParseResult.Accepted) result).event();
            assertThat(r.partitionKey()).isEqualTo(e.userId());
            parsed.add(e);
        }
        assertThat(parsed).containsExactlyInAnyOrderElementsOf(sent);
    }
}
