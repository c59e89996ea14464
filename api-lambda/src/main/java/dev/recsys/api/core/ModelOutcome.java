package dev.recsys.api.core;

/** The result of a guarded model call: an answer, or why there is none. */
public sealed interface ModelOutcome {

    record Answered(Recommendation recommendation) implements ModelOutcome {}

    record Failed(FallbackReason reason, String detail) implements ModelOutcome {}
}
