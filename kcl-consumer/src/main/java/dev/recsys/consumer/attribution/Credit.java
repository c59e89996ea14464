package dev.recsys.consumer.attribution;

import dev.recsys.common.experiment.ResultsCalculator.Arm;
import dev.recsys.consumer.record.RecordPosition;

/** One count for one user in one arm, from the record at {@code position}: what {@code experiment_users} adds up. */
public record Credit(String userId, Arm arm, Kind kind, RecordPosition position) {

    public enum Kind { EXPOSURE, CLICK, CONVERSION }
}
