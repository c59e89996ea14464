package dev.recsys.consumer.attribution;

import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.experiment.ResultsCalculator.Arm;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Credits one window of a shard: each exposure of a known user counts for its arm; each click or
 * conversion counts for the arm of the answer it came from — the one its {@code recommendation_id}
 * names, else the most recent answer that showed its item to its user within the window before it.
 *
 * <p>Deterministic under replay: only exposures that came before the interaction on the stream are
 * candidates, so a replayed window credits exactly what the first pass did, and the per-row watermark
 * in {@code experiment_users} does the rest (no count twice).
 */
public final class Attributor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Attributor.class);

    /** Clocks of the API and of producers differ; an exposure stamped this much after the click may still be its source. */
    static final long CLOCK_SKEW_MILLIS = 60_000;

    private final AttributionPolicy policy;
    private final ExposureLookup lookup;

    public Attributor(AttributionPolicy policy, ExposureLookup lookup) {
        this.policy = policy;
        this.lookup = lookup;
    }

    public AttributionPolicy policy() {
        return policy;
    }

    private final java.util.concurrent.atomic.AtomicLong unattributed = new java.util.concurrent.atomic.AtomicLong();

    /** Clicks and conversions no answer could be found for (first passes; a replay counts again). */
    public long unattributed() {
        return unattributed.get();
    }

    /**
     * @param exposures    this window's first-seen exposures, in stream order
     * @param interactions this window's first-seen interactions, in stream order
     */
    public List<Credit> credit(String shardId, List<Exposed> exposures, List<Accepted> interactions) {
        List<Credit> credits = new ArrayList<>();
        Map<ExposureLookup.ById, ExposureRef> inWindow = new HashMap<>();
        Map<String, List<ExposureRef>> inWindowByUser = new HashMap<>();
        for (Exposed e : exposures) {
            Exposure x = e.exposure();
            if (x.userId() == null) continue;
            ExposureRef ref = new ExposureRef(x.userId(), x.recommendationId(), x.timestampMillis(),
                    new Arm(x.experiment(), x.route(), x.variant()), x.items(), shardId + "/" + e.position().sortable());
            inWindow.put(new ExposureLookup.ById(x.userId(), x.recommendationId()), ref);
            inWindowByUser.computeIfAbsent(x.userId(), u -> new ArrayList<>()).add(ref);
            credits.add(new Credit(x.userId(), ref.arm(), Credit.Kind.EXPOSURE, e.position()));
        }

        List<Accepted> counted = interactions.stream().filter(a -> policy.kindOf(a.event().eventType()) != null).toList();
        if (counted.isEmpty()) return credits;
        Set<ExposureLookup.ById> wanted = new LinkedHashSet<>();
        Map<String, ExposureLookup.Interval> windows = new HashMap<>();
        long w = policy.window().toMillis();
        for (Accepted a : counted) {
            InteractionEvent e = a.event();
            if (e.recommendationId() != null) {
                ExposureLookup.ById id = new ExposureLookup.ById(e.userId(), e.recommendationId());
                if (!inWindow.containsKey(id)) wanted.add(id);
            }
            // Also for marked ones: an id that resolves to nothing falls back to the window rule.
            windows.merge(e.userId(), new ExposureLookup.Interval(e.timestampMillis() - w, e.timestampMillis() + CLOCK_SKEW_MILLIS),
                    (x, y) -> new ExposureLookup.Interval(Math.min(x.from(), y.from()), Math.max(x.to(), y.to())));
        }
        Map<ExposureLookup.ById, ExposureRef> stored = wanted.isEmpty() ? Map.of() : lookup.byIds(wanted);
        // Query the window only for users shown something within it: most interactions follow no answer at all.
        Map<String, Long> latest = lookup.latest(windows.keySet());
        windows.keySet().removeIf(u -> latest.getOrDefault(u, Long.MIN_VALUE) < windows.get(u).from());
        Map<String, List<ExposureRef>> recent = windows.isEmpty() ? Map.of() : lookup.recent(windows);

        for (Accepted a : counted) {
            InteractionEvent e = a.event();
            String position = a.position().sortable();
            ExposureRef source = null;
            if (e.recommendationId() != null) {
                ExposureLookup.ById id = new ExposureLookup.ById(e.userId(), e.recommendationId());
                ExposureRef named = inWindow.containsKey(id) ? inWindow.get(id) : stored.get(id);
                if (named != null && named.items().contains(e.itemId()) && named.precedes(shardId, position)) source = named;
            }
            if (source == null) source = mostRecent(e, shardId, position, inWindowByUser.get(e.userId()), recent.get(e.userId()));
            if (source != null) {
                credits.add(new Credit(e.userId(), source.arm(), policy.kindOf(e.eventType()), a.position()));
            } else {
                unattributed.incrementAndGet();
                LOG.debug("no answer showed {} to {} within the window before {} (recommendation_id {}); {} candidates",
                        e.itemId(), e.userId(), e.timestampMillis(), e.recommendationId(),
                        (inWindowByUser.getOrDefault(e.userId(), List.of()).size() + recent.getOrDefault(e.userId(), List.of()).size()));
            }
        }
        return credits;
    }

    private ExposureRef mostRecent(InteractionEvent e, String shardId, String position, List<ExposureRef> inWindow,
                                   List<ExposureRef> stored) {
        ExposureRef best = null;
        Set<String> seen = new HashSet<>();
        long from = e.timestampMillis() - policy.window().toMillis();
        for (List<ExposureRef> candidates : List.of(inWindow == null ? List.<ExposureRef>of() : inWindow,
                stored == null ? List.<ExposureRef>of() : stored)) {
            for (ExposureRef x : candidates) {
                if (!seen.add(x.recommendationId())) continue;
                if (x.exposedAt() < from || x.exposedAt() > e.timestampMillis() + CLOCK_SKEW_MILLIS) continue;
                if (!x.items().contains(e.itemId()) || !x.precedes(shardId, position)) continue;
                if (best == null || x.exposedAt() > best.exposedAt()
                        || (x.exposedAt() == best.exposedAt() && x.recommendationId().compareTo(best.recommendationId()) > 0)) {
                    best = x;
                }
            }
        }
        return best;
    }
}
