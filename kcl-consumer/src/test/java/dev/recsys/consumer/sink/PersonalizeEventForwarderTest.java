package dev.recsys.consumer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.InteractionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonalizeEventForwarderTest {

    @Test
    void callsHoldOneUserAndAtMostTenEventsEach() {
        List<InteractionEvent> events = new ArrayList<>();
        for (int i = 0; i < 23; i++) events.add(InteractionEvent.of("a" + i, "u1", "i" + i, "view", 1_000L + i));
        for (int i = 0; i < 3; i++) events.add(InteractionEvent.of("b" + i, "u2", "i" + i, "view", 2_000L + i));
        List<List<InteractionEvent>> calls = PersonalizeEventForwarder.calls(events);
        assertThat(calls).extracting(List::size).containsExactly(10, 10, 3, 3);
        assertThat(calls).allSatisfy(call -> assertThat(call).extracting(InteractionEvent::userId).containsOnly(call.get(0).userId()));
        assertThat(calls.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(events);
    }
}
