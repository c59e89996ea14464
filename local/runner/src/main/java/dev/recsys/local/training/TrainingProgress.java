package dev.recsys.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Prints a training run as it goes: each top-level state as it starts, with the time since the run began and the
 * first sentence of its {@code Comment}; a wait loop once, then every {@link #STILL_WAITING_MILLIS} while it repeats,
 * with the state it waits on; Map iterations as they finish. Choice and Pass states say nothing.
 */
public final class TrainingProgress implements java.util.function.Consumer<StateMachineRunner.Progress> {

    static final long STILL_WAITING_MILLIS = 15_000;

    private record StateInfo(String type, String next, String comment) {}

    private final Map<String, StateInfo> states = new HashMap<>();
    private final PrintStream out;
    private final LongSupplier clock;
    private final long start;
    private String waiting;
    private int checks;
    private long lastSaid;
    private final Map<String, Integer> mapDone = new HashMap<>();
    private final Map<String, Set<Integer>> mapStarted = new HashMap<>();

    /**
     * @param definition the ASL the run executes (states' types, comments, what each Wait loops back to)
     * @param clock      milliseconds; the run starts when this is built
     */
    public TrainingProgress(String definition, PrintStream out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
        this.start = clock.getAsLong();
        try {
            collect(new ObjectMapper().readTree(definition).path("States"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect(JsonNode defined) {
        defined.properties().forEach(s -> {
            JsonNode st = s.getValue();
            states.put(s.getKey(), new StateInfo(st.path("Type").asText(), st.path("Next").asText(null),
                    firstSentence(st.path("Comment").asText(""))));
            JsonNode inner = st.has("ItemProcessor") ? st.get("ItemProcessor") : st.get("Iterator");
            if (inner != null) collect(inner.path("States"));
        });
    }

    private static String firstSentence(String comment) {
        int end = comment.indexOf(". ");
        String first = end < 0 ? comment : comment.substring(0, end);
        return first.length() > 90 ? first.substring(0, 87) + "..." : first;
    }

    @Override
    public void accept(StateMachineRunner.Progress p) {
        long now = clock.getAsLong();
        switch (p.type()) {
            case "StateEntered" -> entered(p, now);
            case "MapIterationStarted" -> mapStarted.computeIfAbsent(p.state(), k -> new HashSet<>()).add(p.index());
            case "MapIterationSucceeded", "MapIterationFailed" -> {
                int done = mapDone.merge(p.state(), 1, Integer::sum);
                say(now, String.format("  %s: iteration %d %s (%d of %d done)", p.state(), p.index(),
                        p.type().endsWith("Succeeded") ? "done" : "FAILED", done, mapStarted.getOrDefault(p.state(), Set.of()).size()));
            }
            default -> { }
        }
    }

    private void entered(StateMachineRunner.Progress p, long now) {
        StateInfo s = states.get(p.state());
        if (s == null || p.index() != null) return; // inside a Map: its iterations report when they end
        switch (s.type()) {
            case "Wait" -> {
                if (p.state().equals(waiting)) {
                    checks++;
                    if (now - lastSaid >= STILL_WAITING_MILLIS) say(now, "  still waiting for " + s.next() + " (check " + checks + ")");
                } else {
                    waiting = p.state();
                    checks = 1;
                    say(now, p.state() + ": waiting for " + s.next() + (s.comment().isEmpty() ? "" : " (" + s.comment() + ")"));
                }
            }
            case "Choice", "Pass" -> { }
            default -> {
                // Entering the state a Wait loops back to is part of that loop, not news.
                if (waiting != null && p.state().equals(states.get(waiting).next())) return;
                waiting = null;
                say(now, p.state() + (s.comment().isEmpty() ? "" : ": " + s.comment()));
            }
        }
    }

    private void say(long now, String line) {
        lastSaid = now;
        out.printf("  [%4d s] %s%n", (now - start) / 1000, line);
    }
}
