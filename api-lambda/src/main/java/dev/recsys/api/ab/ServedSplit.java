package dev.recsys.api.ab;

import dev.recsys.api.core.Split;
import dev.recsys.common.experiment.ExperimentSplit;
import java.util.List;

/**
 * The split being served: the experiment phase exposures are counted under, and the assignment.
 * Built once per published split, so assigning a user costs a hash and an array read.
 */
public record ServedSplit(String experiment, VariantAssigner assigner) implements Split {

    @Override
    public Variant assign(String userId) {
        return assigner.assign(userId);
    }

    /** The split the API was deployed with: the experiment id is both the salt and the phase. */
    public static ServedSplit deployed(String experiment, List<Variant> variants) {
        return new ServedSplit(experiment, new VariantAssigner(experiment, variants));
    }

    /** A split the pipeline published (config/experiment.json): same salt, a new phase, new weights. */
    public static ServedSplit published(ExperimentSplit split) {
        return new ServedSplit(split.experiment(), new VariantAssigner(split.salt(),
                split.variants().stream().map(a -> new Variant(a.name(), a.campaignArn(), a.weight())).toList()));
    }
}
