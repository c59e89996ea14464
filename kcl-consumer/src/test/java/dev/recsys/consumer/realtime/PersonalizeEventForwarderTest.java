package dev.recsys.consumer.realtime;

import dev.recsys.consumer.attribution.Impressions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.RecordPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.personalizeevents.model.Event;
import software.amazon.awssdk.services.personalizeevents.model.InvalidInputException;
import software.amazon.awssdk.services.personalizeevents.model.PutEventsRequest;
import software.amazon.awssdk.services.personalizeevents.model.PutEventsResponse;

class PersonalizeEventForwarderTest {

    /** A tracker whose every call waits for the test to answer it. */
    static final class FakeTracker implements PersonalizeEventsAsyncClient {
        final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();

        record Call(PutEventsRequest request, CompletableFuture<PutEventsResponse> answer) {}

        @Override
        public CompletableFuture<PutEventsResponse> putEvents(PutEventsRequest request) {
            CompletableFuture<PutEventsResponse> answer = new CompletableFuture<>();
            if (request.eventList().isEmpty()) { // the start-up probe: answered like the service would
                answer.completeExceptionally(InvalidInputException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidInputException").build()).build());
                return answer;
            }
            calls.add(new Call(request, answer));
            return answer;
        }

        Call next() throws InterruptedException {
            return calls.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public String serviceName() {
            return "personalize-events";
        }

        @Override
        public void close() {}
    }

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

    @Test
    void aUserIsHandedOnOnlyAfterTheTrackerAcceptedTheirEvents() throws Exception {
        FakeTracker tracker = new FakeTracker();
        List<String> after = new CopyOnWriteArrayList<>();
        PersonalizeEventForwarder f = forwarder(tracker, 3, after);
        f.start();
        assertThat(f.status().reachable()).as("the probe's 400 proves the tracker answers").isTrue();

        f.onStored(List.of(accepted("e1", "u1"), accepted("e2", "u2")));
        FakeTracker.Call first = tracker.next();
        FakeTracker.Call second = tracker.next();
        assertThat(List.of(first.request().userId(), second.request().userId())).containsExactlyInAnyOrder("u1", "u2");
        Thread.sleep(100);
        assertThat(after).as("nothing is invalidated while the calls are in flight").isEmpty();

        first.answer().complete(PutEventsResponse.builder().build());
        await().atMost(Duration.ofSeconds(5)).until(() -> after.equals(List.of(first.request().userId())));
        second.answer().complete(PutEventsResponse.builder().build());
        await().atMost(Duration.ofSeconds(5)).until(() -> after.size() == 2);
        f.close();
    }

    @Test
    void failedCallsAreRetriedAndTheUserIsHandedOnWhenGivenUp() throws Exception {
        FakeTracker tracker = new FakeTracker();
        List<String> after = new CopyOnWriteArrayList<>();
        MetricRegistry metrics = new MetricRegistry();
        PersonalizeEventForwarder f = new PersonalizeEventForwarder(tracker, "tid", 100, 2, 4, Duration.ofSeconds(5),
                after::add, Impressions.NONE, metrics);
        f.start();
        f.onStored(List.of(accepted("e1", "u1")));
        tracker.next().answer().completeExceptionally(new RuntimeException("boom"));
        FakeTracker.Call retry = tracker.next();
        assertThat(retry).as("retried").isNotNull();
        assertThat(after).isEmpty();
        retry.answer().completeExceptionally(new RuntimeException("boom again"));
        await().atMost(Duration.ofSeconds(5)).until(() -> after.equals(List.of("u1")));
        assertThat(metrics.meter("personalize.eventsDropped").getCount()).isEqualTo(1);
        assertThat(f.status().reachable()).isFalse();
        f.close();
    }

    @Test
    void anInteractionFromAnAnswerCarriesItsRecommendationIdAndTheItemsShown() throws Exception {
        FakeTracker tracker = new FakeTracker();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < 30; i++) shown.add("item-" + i);
        Impressions answers = ids -> ids.stream().filter(id -> id.recommendationId().equals("rec-1"))
                .collect(java.util.stream.Collectors.toMap(id -> id, id -> new Impressions.Shown("RID-7", shown)));
        PersonalizeEventForwarder f = new PersonalizeEventForwarder(tracker, "tid", 100, 1, 4, Duration.ofSeconds(5), u -> { },
                answers, new MetricRegistry());
        f.start();
        f.onStored(List.of(new Accepted(new InteractionEvent("e1", "u1", "item-3", "click", null, 1_000L, null, java.util.Map.of(),
                "rec-1"), new RecordPosition("1", 0), true), accepted("e2", "u1")));
        // The sender may take e1 before e2 is queued (batching is opportunistic): then they go in two calls.
        List<Event> sent = new ArrayList<>();
        while (sent.size() < 2) {
            FakeTracker.Call call = tracker.next();
            assertThat(call).as("a PutEvents call for each event not yet sent").isNotNull();
            sent.addAll(call.request().eventList());
            call.answer().complete(PutEventsResponse.builder().build());
        }
        var marked = sent.get(0);
        assertThat(marked.recommendationId()).isEqualTo("RID-7");
        assertThat(marked.impression()).as("Personalize takes at most 25").hasSize(25).startsWith("item-0", "item-1");
        var plain = sent.get(1);
        assertThat(plain.recommendationId()).isNull();
        assertThat(plain.hasImpression()).isFalse();
        f.close();
    }

    private static PersonalizeEventForwarder forwarder(FakeTracker tracker, int attempts, List<String> after) {
        return new PersonalizeEventForwarder(tracker, "tid", 100, attempts, 4, Duration.ofSeconds(5), after::add, Impressions.NONE,
                new MetricRegistry());
    }

    private static Accepted accepted(String id, String user) {
        return new Accepted(InteractionEvent.of(id, user, "i1", "click", 1_000L), new RecordPosition("1", 0), true);
    }
}
