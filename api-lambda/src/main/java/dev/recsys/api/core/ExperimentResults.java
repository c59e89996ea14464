package dev.recsys.api.core;

import dev.recsys.common.experiment.ArmResult;
import java.util.List;

/** The results the consumer fleet computes ({@code experiments} table), read-only for the API. */
public interface ExperimentResults {

    /** Every arm of every experiment; empty when there are none yet. */
    List<ArmResult> all();

    /** The arms of one experiment; empty when it has none. */
    List<ArmResult> of(String experiment);
}
