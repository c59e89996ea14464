package dev.recsys.api.core;

import dev.recsys.common.event.Exposure;

/**
 * Where the API records what it showed. Implementations must return at once and never throw: an
 * exposure that cannot be recorded is counted and dropped, it never slows or fails the answer.
 */
@FunctionalInterface
public interface Exposures {

    Exposures NONE = exposure -> true;

    /** @return false when the exposure was dropped (queue full, logging disabled does not count as a drop) */
    boolean record(Exposure exposure);
}
