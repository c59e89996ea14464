package dev.recsys.training;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How many status checks each wait loop of the pipeline makes before it gives up on a Personalize job that hangs:
 * the resources (dataset group, dataset, event tracker, solutions), the dataset import, each solution version's
 * training and each campaign's creation or update. The status-check tasks count their checks ({@code checks}) and
 * return this limit ({@code maxChecks}); the state machine's Choice sends a loop that reached it to the failure path
 * ({@code ResourcesTimeout}, {@code ImportTimeout}, {@code TrainingTimeout}, {@code CampaignTimeout}), which notifies
 * SNS. With the Wait states of the definition (30 s, 60 s, 300 s, 60 s) the defaults are 30 min, 2 h, 8 h and 1 h.
 */
public record StatusChecks(int resources, int imports, int training, int campaigns) {

    public static final StatusChecks DEFAULTS = new StatusChecks(60, 120, 96, 60);
    /** The largest limit accepted (Terraform validates the same range). */
    public static final int MAX = 1000;

    private static final String RESOURCES = "resources";
    private static final String IMPORT = "import";
    private static final String TRAINING = "training";
    private static final String CAMPAIGN = "campaign";

    public StatusChecks {
        check(RESOURCES, resources);
        check(IMPORT, imports);
        check(TRAINING, training);
        check(CAMPAIGN, campaigns);
    }

    /**
     * {@code resources=60,import=120,training=96,campaign=60} (what Terraform sets); a stage left out keeps its
     * default, an unknown stage or a value outside 1..{@value #MAX} is refused. Null or blank: the defaults.
     */
    public static StatusChecks parse(String spec) {
        if (spec == null || spec.isBlank()) return DEFAULTS;
        Map<String, Integer> values = new LinkedHashMap<>(DEFAULTS.asMap());
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            String stage = kv[0].trim().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !values.containsKey(stage)) {
                throw new IllegalArgumentException("status checks: '" + part.trim() + "' is not <stage>=<checks> with a stage of "
                        + String.join(", ", values.keySet()) + " (e.g. " + DEFAULTS.format() + ")");
            }
            try {
                values.put(stage, Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("status checks: " + stage + " must be a whole number, got '" + kv[1].trim() + "'");
            }
        }
        return new StatusChecks(values.get(RESOURCES), values.get(IMPORT), values.get(TRAINING), values.get(CAMPAIGN));
    }

    /** The form {@link #parse} reads. */
    public String format() {
        StringBuilder b = new StringBuilder();
        asMap().forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }

    private Map<String, Integer> asMap() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(RESOURCES, resources);
        m.put(IMPORT, imports);
        m.put(TRAINING, training);
        m.put(CAMPAIGN, campaigns);
        return m;
    }

    private static void check(String stage, int value) {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException("status checks: " + stage + " must be in 1.." + MAX + ", got " + value);
        }
    }
}
