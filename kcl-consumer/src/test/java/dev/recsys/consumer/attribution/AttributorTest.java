package dev.recsys.consumer.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.experiment.ResultsCalculator.Arm;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import dev.recsys.consumer.record.RecordPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttributorTest {

    static final String SHARD = "shardId-1";
    static final long T = 1_780_000_000_000L;
    static final Arm A = new Arm("exp", Exposure.USER_RECOMMENDATIONS, "a");
    static final Arm B = new Arm("exp", Exposure.USER_RECOMMENDATIONS, "b");

    /** Stored exposures by id and by user, as the table would answer. */
    static final class Stored implements ExposureLookup {
        final Map<ById, ExposureRef> byId = new HashMap<>();
        final List<Collection<ById>> asked = new ArrayList<>();

        void add(ExposureRef r) {
            byId.put(new ById(r.userId(), r.recommendationId()), r);
        }

        @Override
        public Map<ById, ExposureRef> byIds(Collection<ById> ids) {
            asked.add(List.copyOf(ids));
            Map<ById, ExposureRef> out = new HashMap<>();
            ids.forEach(id -> { if (byId.containsKey(id)) out.put(id, byId.get(id)); });
            return out;
        }

        final List<Collection<String>> latestAsked = new ArrayList<>();
        final List<java.util.Set<String>> recentAsked = new ArrayList<>();

        @Override
        public Map<String, Long> latest(Collection<String> users) {
            latestAsked.add(List.copyOf(users));
            Map<String, Long> out = new HashMap<>();
            byId.values().forEach(r -> { if (users.contains(r.userId())) out.merge(r.userId(), r.exposedAt(), Math::max); });
            return out;
        }

        @Override
        public Map<String, List<ExposureRef>> recent(Map<String, Interval> intervals) {
            recentAsked.add(java.util.Set.copyOf(intervals.keySet()));
            Map<String, List<ExposureRef>> out = new HashMap<>();
            byId.values().forEach(r -> {
                Interval i = intervals.get(r.userId());
                if (i != null && r.exposedAt() >= i.from() && r.exposedAt() <= i.to()) {
                    out.computeIfAbsent(r.userId(), u -> new ArrayList<>()).add(r);
                }
            });
            return out;
        }
    }

    final Stored stored = new Stored();
    final Attributor attributor = new Attributor(new AttributionPolicy(Duration.ofMinutes(30), Set.of("click"), Set.of("purchase")),
            stored);

    static RecordPosition pos(long seq) {
        return new RecordPosition(Long.toString(seq), 0);
    }

    static Exposed shown(long seq, String id, String user, Arm arm, long at, String... items) {
        return new Exposed(new Exposure(id, at, arm.route(), arm.experiment(), arm.variant(), null, null, null, "personalize",
                null, user, null, List.of(items), false), pos(seq), true);
    }

    static ExposureRef storedRef(long seq, String id, String user, Arm arm, long at, String... items) {
        return new ExposureRef(user, id, at, arm, List.of(items), SHARD + "/" + pos(seq).sortable());
    }

    static Accepted did(long seq, String type, String user, String item, long at, String recommendationId) {
        return new Accepted(new InteractionEvent("e" + seq, user, item, type, null, at, null, Map.of(), recommendationId), pos(seq), true);
    }

    @Test
    void everyExposureOfAKnownUserCountsForItsArm() {
        Exposed anonymous = new Exposed(new Exposure("r0", T, Exposure.SIMILAR_ITEMS, "exp", "similar", null, null, null,
                "personalize", null, null, "seed", List.of("i1"), false), pos(1), true);
        List<Credit> credits = attributor.credit(SHARD, List.of(shown(2, "r1", "u1", A, T, "i1"), anonymous), List.of());
        assertThat(credits).containsExactly(new Credit("u1", A, Credit.Kind.EXPOSURE, pos(2)));
    }

    @Test
    void aRecommendationIdNamesTheArmEvenWhenANewerAnswerShowedTheItem() {
        stored.add(storedRef(1, "r-old", "u1", B, T - 60_000, "i1", "i2"));
        List<Credit> credits = attributor.credit(SHARD, List.of(shown(2, "r-new", "u1", A, T - 10_000, "i1")),
                List.of(did(3, "click", "u1", "i1", T, "r-old"), did(4, "purchase", "u1", "i2", T + 1, "r-old")));
        assertThat(credits).containsExactly(new Credit("u1", A, Credit.Kind.EXPOSURE, pos(2)),
                new Credit("u1", B, Credit.Kind.CLICK, pos(3)), new Credit("u1", B, Credit.Kind.CONVERSION, pos(4)));
        assertThat(stored.asked).hasSize(1); // r-old read once; r-new was in the window
    }

    @Test
    void withoutAnIdTheMostRecentAnswerThatShowedTheItemWithinTheWindowWins() {
        stored.add(storedRef(1, "r1", "u1", B, T - 20 * 60_000, "i1"));
        stored.add(storedRef(2, "r2", "u1", A, T - 5 * 60_000, "i1"));
        stored.add(storedRef(3, "r3", "u1", B, T - 60_000, "i9")); // newest, but without the item
        List<Credit> credits = attributor.credit(SHARD, List.of(), List.of(did(10, "click", "u1", "i1", T, null)));
        assertThat(credits).containsExactly(new Credit("u1", A, Credit.Kind.CLICK, pos(10)));
    }

    @Test
    void answersOutsideTheWindowOrForAnotherUserOrOtherEventTypesGetNothing() {
        stored.add(storedRef(1, "r1", "u1", A, T - 31 * 60_000, "i1"));
        stored.add(storedRef(2, "r2", "u2", A, T - 60_000, "i1"));
        List<Credit> credits = attributor.credit(SHARD, List.of(), List.of(did(10, "click", "u1", "i1", T, null),
                did(11, "view", "u2", "i1", T, null), did(12, "click", "u1", "i1", T, "r2")));
        assertThat(credits).isEmpty();
    }

    @Test
    void onlyAnswersThatCameBeforeTheInteractionOnTheStreamCount() {
        // Same shard, later position: on a replay the first pass could not have seen it, so it never counts.
        stored.add(storedRef(20, "r-later", "u1", A, T - 1_000, "i1"));
        // Another shard (before a reshard): earlier by construction.
        stored.add(new ExposureRef("u1", "r-other", T - 2_000, B, List.of("i1"), "shardId-0/" + pos(99).sortable()));
        List<Credit> credits = attributor.credit(SHARD, List.of(), List.of(did(10, "click", "u1", "i1", T, "r-later")));
        assertThat(credits).containsExactly(new Credit("u1", B, Credit.Kind.CLICK, pos(10)));
    }

    @Test
    void onlyUsersShownSomethingWithinTheWindowCostAQuery() {
        stored.add(storedRef(1, "r1", "u1", A, T - 60_000, "i1"));
        stored.add(storedRef(2, "r2", "u2", A, T - 40 * 60_000, "i1")); // shown, but before the window
        attributor.credit(SHARD, List.of(), List.of(did(10, "click", "u1", "i1", T, null), did(11, "click", "u2", "i1", T, null),
                did(12, "purchase", "u3", "i1", T, null)));
        assertThat(stored.latestAsked).as("one batched read for all").hasSize(1);
        assertThat(stored.latestAsked.get(0)).containsExactlyInAnyOrder("u1", "u2", "u3");
        assertThat(stored.recentAsked).containsExactly(java.util.Set.of("u1"));
    }

    @Test
    void anAnswerStampedSlightlyAfterTheClickStillCountsWhenItCameFirstOnTheStream() {
        List<Credit> credits = attributor.credit(SHARD, List.of(shown(1, "r1", "u1", A, T + 2_000, "i1")),
                List.of(did(2, "click", "u1", "i1", T, null)));
        assertThat(credits).contains(new Credit("u1", A, Credit.Kind.CLICK, pos(2)));
    }
}
