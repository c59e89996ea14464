package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("DATA_BUCKET", "b");
        env.put("VARIANTS", "a=arn:aws:personalize:::recipe/aws-user-personalization-v2, b=arn:aws:personalize:::recipe/aws-popularity-count");
        env.put("IMPORT_ROLE_ARN", "arn:aws:iam::1:role/r");
        return env;
    }

    @Test
    void readsTheEnvironmentWithDefaults() {
        TrainingConfig c = TrainingConfig.fromEnv(env());
        assertThat(c.solutions().variants()).extracting(SolutionPlan.Variant::name).containsExactly("a", "b");
        assertThat(c.gateTolerance()).isEqualTo(0.02);
        assertThat(c.terraformOwned()).isFalse();
        assertThat(c.personalizeEndpoint()).isNull();
        assertThat(c.campaignName("a")).isEqualTo("recsys-a");
        assertThat(c.schemaName()).isEqualTo("recsys-interactions-v-imp");
    }

    @Test
    void theSchemaNameSaysWhichFieldsItHas() {
        Map<String, String> env = env();
        env.put("INCLUDE_EVENT_VALUE", "false");
        assertThat(TrainingConfig.fromEnv(env).schemaName()).isEqualTo("recsys-interactions-imp");
    }

    @Test
    void relatedItemsAndRankingAreTrainedByDefaultAndTheBaselineIsThePopularityVariant() {
        SolutionPlan plan = TrainingConfig.fromEnv(env()).solutions();
        assertThat(plan.relatedItemsRecipeArn()).isEqualTo("arn:aws:personalize:::recipe/aws-sims");
        assertThat(plan.rankingRecipeArn()).isEqualTo("arn:aws:personalize:::recipe/aws-personalized-ranking-v2");
        assertThat(plan.solutions()).extracting(SolutionPlan.Solution::name, SolutionPlan.Solution::role).containsExactly(
                tuple("a", SolutionRole.AB_VARIANT),
                tuple("b", SolutionRole.AB_VARIANT),
                tuple("similar", SolutionRole.RELATED_ITEMS),
                tuple("ranking", SolutionRole.RANKING),
                tuple("trending", SolutionRole.TRENDING));
        assertThat(plan.trendingRecipeArn()).isEqualTo("arn:aws:personalize:::recipe/aws-trending-now");
        assertThat(plan.baseline().name()).isEqualTo("b");
    }

    @Test
    void withoutAPopularityVariantABaselineSolutionIsTrainedAndEmptyRecipesDisable() {
        Map<String, String> e = env();
        e.put("VARIANTS", "a=arn:aws:personalize:::recipe/aws-user-personalization-v2");
        e.put("RELATED_ITEMS_RECIPE", "");
        e.put("RANKING_RECIPE", " ");
        e.put("TRENDING_RECIPE", "");
        SolutionPlan plan = TrainingConfig.fromEnv(e).solutions();
        assertThat(plan.relatedItemsRecipeArn()).isNull();
        assertThat(plan.rankingRecipeArn()).isNull();
        assertThat(plan.trendingRecipeArn()).isNull();
        assertThat(plan.solutions()).extracting(SolutionPlan.Solution::name).containsExactly("a", "baseline");
        SolutionPlan.Solution baseline = plan.baseline();
        assertThat(baseline.role()).isEqualTo(SolutionRole.BASELINE);
        assertThat(baseline.role().deployed()).isFalse();
        assertThat(baseline.recipeArn()).isEqualTo("arn:aws:personalize:::recipe/aws-popularity-count");

        Map<String, String> cn = env();
        cn.put("VARIANTS", "a=arn:aws-cn:personalize:::recipe/aws-user-personalization-v2");
        assertThat(TrainingConfig.fromEnv(cn).solutions().baseline().recipeArn())
                .isEqualTo("arn:aws-cn:personalize:::recipe/aws-popularity-count");
    }

    @Test
    void rejectsBadSolutionSettingsByName() {
        Map<String, String> r = env();
        r.put("RELATED_ITEMS_RECIPE", "aws-sims");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RELATED_ITEMS_RECIPE must be a Personalize recipe ARN").hasMessageContaining("'aws-sims'");
        Map<String, String> k = env();
        k.put("RANKING_RECIPE", "arn:aws:personalize:::solution/x");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(k)).hasMessageContaining("RANKING_RECIPE must be a Personalize recipe ARN");
        Map<String, String> reserved = env();
        reserved.put("VARIANTS", "a=arn:aws:personalize:::recipe/aws-user-personalization-v2,similar=arn:aws:personalize:::recipe/aws-sims");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(reserved))
                .hasMessageContaining("variant name 'similar' is reserved for the related-items solution");
        Map<String, String> v = env();
        v.put("VARIANTS", "a=not-an-arn");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(v)).hasMessageContaining("variant a must be a Personalize recipe ARN");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(env()).solutions().solution("zzz"))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("unknown solution 'zzz'");
    }

    @Test
    void theDatasetGroupKeyAndItsRoleAndTheStatusCheckLimitsAreRead() {
        TrainingConfig plain = TrainingConfig.fromEnv(env());
        assertThat(plain.kmsKeyArn()).isNull();
        assertThat(plain.datasetGroupRoleArn()).isNull();
        assertThat(plain.statusChecks()).isEqualTo(StatusChecks.DEFAULTS).isEqualTo(new StatusChecks(60, 120, 96, 60));

        Map<String, String> e = env();
        e.put("KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111");
        e.put("DATASET_GROUP_ROLE_ARN", "arn:aws:iam::123456789012:role/recsys-dataset-group-key-2026");
        e.put("MAX_STATUS_CHECKS", "resources=5, import=6,training=7,campaign=8");
        TrainingConfig c = TrainingConfig.fromEnv(e);
        assertThat(c.kmsKeyArn()).isEqualTo("arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111");
        assertThat(c.datasetGroupRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/recsys-dataset-group-key-2026");
        assertThat(c.statusChecks()).isEqualTo(new StatusChecks(5, 6, 7, 8));
        assertThat(c.statusChecks().format()).isEqualTo("resources=5,import=6,training=7,campaign=8");
        // A stage left out keeps its default.
        assertThat(StatusChecks.parse("import=3")).isEqualTo(new StatusChecks(60, 3, 96, 60));
    }

    @Test
    void theKeyAndItsRoleComeTogetherAndLookLikeArns() {
        Map<String, String> keyOnly = env();
        keyOnly.put("KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/k");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(keyOnly)).hasMessageContaining("set together or not at all");
        Map<String, String> roleOnly = env();
        roleOnly.put("DATASET_GROUP_ROLE_ARN", "arn:aws:iam::123456789012:role/r");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(roleOnly)).hasMessageContaining("set together or not at all");
        Map<String, String> alias = env();
        alias.put("KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:alias/recsys");
        alias.put("DATASET_GROUP_ROLE_ARN", "arn:aws:iam::123456789012:role/r");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(alias)).hasMessageContaining("KMS key ARN must look like");
        Map<String, String> user = env();
        user.put("KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/k");
        user.put("DATASET_GROUP_ROLE_ARN", "arn:aws:iam::123456789012:user/u");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(user)).hasMessageContaining("dataset group role ARN must look like");
        Map<String, String> blank = env();
        blank.put("KMS_KEY_ARN", " ");
        blank.put("DATASET_GROUP_ROLE_ARN", "");
        assertThat(TrainingConfig.fromEnv(blank).kmsKeyArn()).isNull();
    }

    @Test
    void rejectsStatusCheckLimitsByName() {
        for (String bad : List.of("import=0", "training=1001", "imports=3", "import", "import=x")) {
            Map<String, String> e = env();
            e.put("MAX_STATUS_CHECKS", bad);
            assertThatThrownBy(() -> TrainingConfig.fromEnv(e)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MAX_STATUS_CHECKS: status checks: ");
        }
    }

    @Test
    void rejectsBadSettingsByName() {
        Map<String, String> e = env();
        e.remove("DATA_BUCKET");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(e)).hasMessageContaining("DATA_BUCKET");
        Map<String, String> v = env();
        v.put("VARIANTS", "a=arn:x,a=arn:y");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(v)).hasMessageContaining("twice");
        Map<String, String> t = env();
        t.put("GATE_TOLERANCE", "lots");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(t)).hasMessageContaining("GATE_TOLERANCE must be a number");
        Map<String, String> o = env();
        o.put("PERSONALIZE_RESOURCES_OWNER", "someone");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(o)).hasMessageContaining("pipeline or terraform");
        Map<String, String> n = env();
        n.put("VARIANTS", "Bad Name=arn:x");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(n)).hasMessageContaining("variant name must match");
    }
}
