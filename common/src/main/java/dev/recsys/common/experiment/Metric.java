package dev.recsys.common.experiment;

/** The ratio metrics an arm is judged on; both are per exposure (answer shown). */
public enum Metric {
    /** Clicks per exposure, Σy/Σx. */
    CTR {
        @Override
        public RatioEstimate of(ArmTotals arm) {
            return arm.ctr();
        }
    },
    /** Conversions per exposure, Σz/Σx. */
    CONVERSION_RATE {
        @Override
        public RatioEstimate of(ArmTotals arm) {
            return arm.conversionRate();
        }
    };

    /** This metric of one arm. */
    public abstract RatioEstimate of(ArmTotals arm);
}
