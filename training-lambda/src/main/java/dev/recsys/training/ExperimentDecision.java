package dev.recsys.training;

import dev.recsys.common.event.EventLimits;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.Comparison;
import dev.recsys.common.experiment.ExperimentSplit;
import dev.recsys.common.experiment.RatioEstimate;
import dev.recsys.common.experiment.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The decision step's rule, with no I/O: from the split being served and the stored results of its phase on one
 * route, who wins and, under {@link Policy#PROMOTE}, the next split.
 *
 * <p>The statistics are the consumer's: a winner is a significant {@link Verdict} stored with the results
 * (always-valid running p-value below α with the minimum sample reached), read here, never re-tested. CTR is the
 * primary metric; conversions are reported beside it and never decide. A treatment that significantly beats the
 * control wins (of several, the largest relative lift); otherwise, when a treatment significantly loses, the
 * control wins.
 *
 * <p>Why a retried or repeated run cannot shift twice: a shift publishes the next phase, and the next run (or
 * retry) decides on the results of that phase, which start from nothing. Results of another phase or route are
 * never used, and any unreadable or incomplete row stops the decision rather than being skipped.
 */
public final class ExperimentDecision {

    /** What a run may do with a winner. */
    public enum Policy {
        /** Tell who wins, change nothing. */
        REPORT,
        /** Also move users toward the winner. */
        PROMOTE;

        static Policy parse(String value) {
            for (Policy p : values()) if (p.label().equals(value)) return p;
            throw new IllegalArgumentException("EXPERIMENT_POLICY must be report or promote, got '" + value + "'");
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A split without its campaign ARNs (only a write needs them).
     *
     * @param phase     the experiment id the results are counted under
     * @param weights   percent of users by variant, summing to 100, in the split's order
     * @param decidedAt when the pipeline published it, null for the deployed split
     * @param reason    why it was published, null for the deployed split
     */
    public record Split(String salt, String phase, Map<String, Integer> weights, String decidedAt, String reason) {
        public Split {
            if (!EventLimits.isValidId(salt) || !EventLimits.isValidId(phase)) {
                throw new IllegalArgumentException("salt and phase must be valid ids: " + salt + ", " + phase);
            }
            weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
            if (weights.values().stream().mapToInt(Integer::intValue).sum() != 100) {
                throw new IllegalArgumentException("weights must sum to 100: " + weights);
            }
        }

        public static Split of(ExperimentSplit s) {
            Map<String, Integer> w = new LinkedHashMap<>();
            s.variants().forEach(a -> w.put(a.name(), a.weight()));
            return new Split(s.salt(), s.experiment(), w, s.decidedAt(), s.reason());
        }

        String describe() {
            return weights.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(" / "));
        }
    }

    /** The stored results rows of one phase and route: those that parsed, and what was wrong with each other one. */
    public record Results(List<ArmResult> arms, List<String> unreadable) {
        public Results {
            arms = List.copyOf(arms);
            unreadable = List.copyOf(unreadable);
        }
    }

    /**
     * @param winner  the CTR winner, null when no verdict is significant
     * @param changed whether {@code after} is a new split to publish (only under {@link Policy#PROMOTE})
     * @param after   the split after this decision: the current one when unchanged; {@code decidedAt} is for the caller to set
     * @param summary the numbers of every arm and what the policy did, for people
     */
    public record Decision(String winner, boolean changed, Split after, String summary) {}

    private final Policy policy;
    private final int step;

    /** @param step percentage points moved to the winner per decision, 1..100 */
    public ExperimentDecision(Policy policy, int step) {
        this.policy = Objects.requireNonNull(policy, "policy");
        if (step < 1 || step > 100) throw new IllegalArgumentException("the promote step must be in 1..100, got " + step);
        this.step = step;
    }

    public Decision decide(Split current, String route, Results results) {
        List<ArmResult> arms = results.arms().stream()
                .sorted(Comparator.comparing(ArmResult::control).reversed()
                        .thenComparing(ArmResult::variant, Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
        List<String> problems = new ArrayList<>(results.unreadable());
        for (ArmResult a : arms) {
            String p = problem(a, current, route);
            if (p != null) problems.add(p);
        }
        List<ArmResult> controls = arms.stream().filter(ArmResult::control).toList();
        if (!arms.isEmpty() && controls.size() != 1) problems.add("expected one control arm, found " + controls.size());

        StringBuilder s = new StringBuilder(head(current, route, arms));
        if (arms.isEmpty() && problems.isEmpty()) {
            s.append("no results yet for this phase");
            if (current.reason() != null) s.append(" (this split was published because ").append(current.reason()).append(')');
            return unchanged(current, s.append(". Split unchanged."));
        }
        if (!problems.isEmpty()) {
            return unchanged(current, s.append("no decision, the results are incomplete: ").append(String.join("; ", problems))
                    .append(". Split unchanged."));
        }

        ArmResult control = controls.get(0);
        List<ArmResult> treatments = arms.stream().filter(a -> !a.control()).toList();
        List<String> lines = new ArrayList<>();
        lines.add(control.variant() + " (control): " + numbers(control));
        for (ArmResult t : treatments) lines.add(t.variant() + ": " + numbers(t) + ", " + versus(t, control));
        s.append(String.join("; ", lines)).append(". ");

        Optional<ArmResult> bestTreatment = treatments.stream().filter(t -> wins(t.ctrVerdict(), Verdict.Winner.TREATMENT))
                .max(Comparator.comparingDouble((ArmResult t) -> t.ctrVerdict().comparison().relativeLift())
                        .thenComparing(ArmResult::variant, Comparator.reverseOrder()));
        List<ArmResult> losers = treatments.stream().filter(t -> wins(t.ctrVerdict(), Verdict.Winner.CONTROL)).toList();
        String winner;
        String evidence;
        if (bestTreatment.isPresent()) {
            ArmResult t = bestTreatment.get();
            winner = t.variant();
            evidence = evidence(t, control);
        } else if (!losers.isEmpty()) {
            winner = control.variant();
            evidence = losers.stream().map(l -> evidence(l, control)).collect(Collectors.joining("; "));
        } else {
            return unchanged(current, s.append("CTR (primary metric): no winner yet; split unchanged."));
        }
        s.append("CTR (primary metric): ").append(winner).append(" wins (").append(evidence).append("). ");

        if (policy == Policy.REPORT) {
            return new Decision(winner, false, current, s.append("report: ").append(winner).append(" wins; split unchanged.").toString());
        }
        Map<String, Integer> weights = shift(current.weights(), winner, step);
        if (weights.equals(current.weights())) {
            return new Decision(winner, false, current, s.append("promote: ").append(winner)
                    .append(" is already at 100; split unchanged.").toString());
        }
        String moves = current.weights().keySet().stream()
                .map(v -> v + " " + current.weights().get(v) + "\u2192" + weights.get(v)).collect(Collectors.joining(", "));
        String phase = nextPhase(current.salt(), current.phase());
        long look = arms.stream().mapToLong(ArmResult::looks).max().orElse(0);
        long computedAt = arms.stream().mapToLong(ArmResult::computedAt).max().orElse(0);
        String reason = String.format(Locale.ROOT, "%s wins on CTR in %s at look %d (results computed %s): %s; %s", winner,
                current.phase(), look, Instant.ofEpochMilli(computedAt), evidence, moves);
        return new Decision(winner, true, new Split(current.salt(), phase, weights, null, reason),
                s.append("promote: ").append(moves).append(", new phase ").append(phase).append('.').toString());
    }

    /**
     * {@code step} points to {@code winner} (up to 100), taken from the others in proportion to their weights,
     * rounded by largest remainder so that the weights stay integers summing to 100.
     */
    static Map<String, Integer> shift(Map<String, Integer> weights, String winner, int step) {
        int from = weights.get(winner);
        int others = 100 - from;
        int moved = Math.min(step, others);
        Map<String, Integer> out = new LinkedHashMap<>(weights);
        if (moved == 0) return out;
        record Share(String variant, int whole, long remainder) {}
        List<Share> shares = new ArrayList<>();
        int left = moved;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            if (e.getKey().equals(winner)) continue;
            long exact = (long) moved * e.getValue(); // the share is exact / others
            shares.add(new Share(e.getKey(), (int) (exact / others), exact % others));
            left -= (int) (exact / others);
        }
        // The points lost to rounding go to the largest remainders (in split order on ties); a remainder > 0 means
        // the share was below the arm's weight, so no arm goes negative.
        List<Share> byRemainder = new ArrayList<>(shares);
        byRemainder.sort(Comparator.comparingLong(Share::remainder).reversed());
        for (Share sh : shares) out.put(sh.variant(), weights.get(sh.variant()) - sh.whole());
        for (int i = 0; i < left; i++) out.merge(byRemainder.get(i).variant(), -1, Integer::sum);
        out.put(winner, from + moved);
        return out;
    }

    /** {@code <salt>} → {@code <salt>-p2} → {@code <salt>-p3} …; any other phase id gets {@code -p2} appended. */
    static String nextPhase(String salt, String phase) {
        String prefix = salt + "-p";
        if (phase.startsWith(prefix) && phase.length() > prefix.length() && phase.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
            return prefix + (Long.parseLong(phase.substring(prefix.length())) + 1);
        }
        return phase + "-p2";
    }

    // --- text ---

    private static Decision unchanged(Split current, StringBuilder summary) {
        return new Decision(null, false, current, summary.toString());
    }

    private static String head(Split current, String route, List<ArmResult> arms) {
        StringBuilder h = new StringBuilder("Experiment ").append(current.phase());
        if (!current.phase().equals(current.salt())) h.append(" (salt ").append(current.salt()).append(')');
        h.append(" on ").append(route).append(", split ").append(current.describe())
                .append(current.decidedAt() == null ? " as deployed" : " published " + current.decidedAt());
        arms.stream().max(Comparator.comparingLong(ArmResult::computedAt)).ifPresent(a -> h.append(", results look ")
                .append(a.looks()).append(" computed ").append(Instant.ofEpochMilli(a.computedAt())));
        return h.append(": ").toString();
    }

    /** Null when the row can be decided on, else what is wrong with it. */
    private static String problem(ArmResult a, Split current, String route) {
        if (a.variant() == null) return "a row names no variant";
        if (!current.phase().equals(a.experiment()) || !route.equals(a.route())) {
            return "a row of " + a.experiment() + " " + a.route() + " is not of this phase and route";
        }
        if (!current.weights().containsKey(a.variant())) return "variant " + a.variant() + " has results but is not in the split";
        if (a.totals() == null || a.ctr() == null || a.conversionRate() == null) return a.variant() + " lacks its totals or rates";
        if (!a.control() && (a.ctrVerdict() == null || a.ctrVerdict().comparison() == null)) return a.variant() + " lacks its CTR verdict";
        return null;
    }

    private static boolean wins(Verdict v, Verdict.Winner who) {
        return v != null && v.significant() && v.winner() == who;
    }

    private static String numbers(ArmResult a) {
        return String.format(Locale.ROOT, "%d users, %d exposures, %d clicks, CTR %s, %d conversions, conversion rate %s",
                a.totals().users(), a.totals().exposures(), a.totals().clicks(), estimate(a.ctr()), a.totals().conversions(),
                estimate(a.conversionRate()));
    }

    private static String estimate(RatioEstimate r) {
        return r.hasStandardError() ? String.format(Locale.ROOT, "%s [%s, %s]", percent(r.estimate()), percent(r.ciLow()), percent(r.ciHigh()))
                : percent(r.estimate()) + " (no interval: " + r.status().name().toLowerCase(Locale.ROOT) + ")";
    }

    /** A treatment against the control: CTR first (it decides), conversions beside it. */
    private static String versus(ArmResult t, ArmResult control) {
        String ctr = "CTR " + compared(t.ctrVerdict(), t.variant(), control.variant());
        return t.conversionVerdict() == null || t.conversionVerdict().comparison() == null ? ctr
                : ctr + ", conversions " + compared(t.conversionVerdict(), t.variant(), control.variant());
    }

    private static String compared(Verdict v, String treatment, String control) {
        Comparison c = v.comparison();
        String outcome = v.significant() && v.winner() == Verdict.Winner.TREATMENT ? treatment + " wins"
                : v.significant() && v.winner() == Verdict.Winner.CONTROL ? control + " wins"
                : !v.minimumSampleReached() ? "minimum sample not reached"
                : c.status() != Comparison.Status.OK ? "not enough data" : "not significant";
        if (c.status() != Comparison.Status.OK) return "not comparable yet -> " + outcome;
        return String.format(Locale.ROOT, "lift %+.1f%%, always-valid p=%.3g, difference %+.2f pp, always-valid CI [%+.2f, %+.2f] pp -> %s",
                100 * c.relativeLift(), c.runningPValue(), 100 * c.difference(), 100 * c.ciLow(), 100 * c.ciHigh(), outcome);
    }

    private static String evidence(ArmResult t, ArmResult control) {
        Comparison c = t.ctrVerdict().comparison();
        return String.format(Locale.ROOT, "%s CTR %s vs %s %s, lift %+.1f%%, always-valid p=%.3g, %d vs %d users", t.variant(),
                percent(t.ctr().estimate()), control.variant(), percent(control.ctr().estimate()), 100 * c.relativeLift(),
                c.runningPValue(), t.totals().users(), control.totals().users());
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * ratio);
    }
}
