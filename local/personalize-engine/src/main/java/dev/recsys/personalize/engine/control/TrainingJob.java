package dev.recsys.personalize.engine.control;

import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.evaluation.Evaluator;
import dev.recsys.personalize.engine.evaluation.HoldoutSplit;
import dev.recsys.personalize.engine.recipes.Hyperparameters;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.ModelRepository;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The work of a solution version: gather the dataset group's imported interactions, evaluate the
 * recipe on a held-out split (metrics), then train the served model on all data and store it.
 */
final class TrainingJob {

    /** @param mode FULL replaces what came before, INCREMENTAL adds to it */
    record Import(String jobId, String mode) {}

    record Spec(String solutionVersionId, Recipe recipe, Hyperparameters hyperparameters, String eventType,
                Double eventValueThreshold, List<Import> imports) {}

    record Result(Map<String, Double> metrics, double trainingSeconds) {}

    private TrainingJob() {}

    static Result run(Spec spec, DatasetSnapshots snapshots, ModelRepository models, int threads,
                      int minInteractions, int minUsers, double userFraction, double recentFraction)
            throws ImportJob.Failure, IOException {
        long t0 = System.nanoTime();
        if (spec.imports().isEmpty()) {
            throw new ImportJob.Failure("The dataset group has no successfully imported interactions");
        }
        Interactions.Builder builder = Interactions.builder();
        int start = 0;
        for (int i = 0; i < spec.imports().size(); i++) if ("FULL".equals(spec.imports().get(i).mode())) start = i;
        for (Import im : spec.imports().subList(start, spec.imports().size())) snapshots.loadInto(im.jobId(), builder);
        Interactions all = builder.build();
        if (spec.eventType() != null) {
            Interactions source = all;
            all = source.filter(r -> source.eventType(r).equals(spec.eventType()));
        }
        if (spec.eventValueThreshold() != null) {
            Interactions source = all;
            double min = spec.eventValueThreshold();
            all = source.filter(r -> !Float.isNaN(source.value(r)) && source.value(r) >= min);
        }
        int users = all.distinctUsers();
        if (all.size() < minInteractions || users < minUsers) {
            throw new ImportJob.Failure("Insufficient data for training: at least " + minInteractions
                    + " interactions from " + minUsers + " users are needed, the training data has "
                    + all.size() + " interactions from " + users + " users");
        }
        Map<String, Double> metrics = evaluate(spec, HoldoutSplit.split(all, userFraction, recentFraction), threads);
        TrainedModel model = TrainedModel.train(spec.recipe(), spec.hyperparameters(), all, threads);
        models.save(spec.solutionVersionId(), model);
        return new Result(metrics, (System.nanoTime() - t0) / 1e9);
    }

    /** A separate method so the evaluation model is garbage before the full model is built. */
    private static Map<String, Double> evaluate(Spec spec, HoldoutSplit.Split split, int threads) {
        TrainedModel evaluation = TrainedModel.train(spec.recipe(), spec.hyperparameters(), split.training(), threads);
        return Evaluator.evaluate(evaluation, split.testUsers());
    }
}
