package dev.recsys.training;

import dev.recsys.common.contract.Contract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every run trains, each into its own solution {@code <prefix>-<name>} and, unless it is the
 * baseline, served by its own campaign of the same name: the A/B variants, the related-items solution
 * ({@code similar}), the ranking solution ({@code ranking}) and the trending solution ({@code trending}), each of
 * the last three optional (null recipe), and the popularity baseline every deployed solution must not fall below. The baseline is
 * the first variant with the popularity recipe; without one, a solution {@code baseline} is trained
 * that never gets a campaign.
 */
public record SolutionPlan(List<Variant> variants, String relatedItemsRecipeArn, String rankingRecipeArn, String trendingRecipeArn) {

    /** The contract's: Terraform defaults to the same, from the same file. */
    public static final String DEFAULT_RELATED_ITEMS_RECIPE = Contract.get().recipes().relatedItems();
    public static final String DEFAULT_RANKING_RECIPE = Contract.get().recipes().ranking();
    public static final String DEFAULT_TRENDING_RECIPE = Contract.get().recipes().trending();
    /** Personalize's documented baseline for comparing solution metrics. */
    static final String POPULARITY_RECIPE = "aws-popularity-count";

    private static final Pattern RECIPE_ARN = Pattern.compile("arn:(aws[a-z-]*):personalize:::recipe/([A-Za-z0-9_-]+)");

    /** One A/B arm: a recipe trained into its own solution and served by its own campaign. */
    public record Variant(String name, String recipeArn) {
        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,15}");

        public Variant {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("variant name must match " + NAME + ", got '" + name + "'");
            }
            for (SolutionRole r : SolutionRole.values()) {
                if (name.equals(r.fixedName())) {
                    throw new IllegalArgumentException("variant name '" + name + "' is reserved for the " + r.label() + " solution");
                }
            }
            requireRecipe("variant " + name, recipeArn);
        }
    }

    /** A solution the run trains: {@code name} is the suffix of its solution and campaign names. */
    public record Solution(String name, SolutionRole role, String recipeArn) {}

    public SolutionPlan {
        variants = List.copyOf(variants);
        if (variants.isEmpty()) throw new IllegalArgumentException("at least one variant is needed");
        if (variants.stream().map(Variant::name).distinct().count() != variants.size()) {
            throw new IllegalArgumentException("variant names must be unique: " + variants);
        }
        if (relatedItemsRecipeArn != null) requireRecipe("the related-items recipe", relatedItemsRecipeArn);
        if (rankingRecipeArn != null) requireRecipe("the ranking recipe", rankingRecipeArn);
        if (trendingRecipeArn != null) requireRecipe("the trending recipe", trendingRecipeArn);
    }

    /** Without a trending solution. */
    public SolutionPlan(List<Variant> variants, String relatedItemsRecipeArn, String rankingRecipeArn) {
        this(variants, relatedItemsRecipeArn, rankingRecipeArn, null);
    }

    /** The given variants with the default related-items, ranking and trending recipes. */
    public static SolutionPlan withDefaults(List<Variant> variants) {
        return new SolutionPlan(variants, DEFAULT_RELATED_ITEMS_RECIPE, DEFAULT_RANKING_RECIPE, DEFAULT_TRENDING_RECIPE);
    }

    /** Variants first, then related items, ranking, trending and (when no variant is popularity) the baseline. */
    public List<Solution> solutions() {
        List<Solution> out = new ArrayList<>();
        for (Variant v : variants) out.add(new Solution(v.name(), SolutionRole.AB_VARIANT, v.recipeArn()));
        if (relatedItemsRecipeArn != null) {
            out.add(new Solution(SolutionRole.RELATED_ITEMS.fixedName(), SolutionRole.RELATED_ITEMS, relatedItemsRecipeArn));
        }
        if (rankingRecipeArn != null) out.add(new Solution(SolutionRole.RANKING.fixedName(), SolutionRole.RANKING, rankingRecipeArn));
        if (trendingRecipeArn != null) {
            out.add(new Solution(SolutionRole.TRENDING.fixedName(), SolutionRole.TRENDING, trendingRecipeArn));
        }
        Solution baseline = baseline();
        if (baseline.role() == SolutionRole.BASELINE) out.add(baseline);
        return List.copyOf(out);
    }

    /** The popularity solution trained in the same run that every candidate is compared with. */
    public Solution baseline() {
        for (Variant v : variants) {
            if (POPULARITY_RECIPE.equals(recipeName(v.recipeArn()))) {
                return new Solution(v.name(), SolutionRole.AB_VARIANT, v.recipeArn());
            }
        }
        // Same partition as the configured recipes (aws, aws-cn, aws-us-gov).
        String partition = matcher(variants.get(0).recipeArn()).group(1);
        return new Solution(SolutionRole.BASELINE.fixedName(), SolutionRole.BASELINE,
                "arn:" + partition + ":personalize:::recipe/" + POPULARITY_RECIPE);
    }

    /** @throws InvalidTaskInputException for a name the plan does not train (a state input out of step with the config) */
    public Solution solution(String name) {
        return solutions().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidTaskInputException("unknown solution '" + name + "'; configured: "
                        + solutions().stream().map(Solution::name).toList()));
    }

    /** {@code a=<recipe arn>,b=<recipe arn>} (the {@code VARIANTS} environment variable). */
    public static List<Variant> parseVariants(String spec) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("VARIANTS must look like a=<recipe arn>,b=<recipe arn>; got '" + spec + "'");
            if (byName.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("VARIANTS names a variant twice: '" + spec + "'");
            }
        }
        List<Variant> out = new ArrayList<>();
        byName.forEach((name, arn) -> out.add(new Variant(name, arn)));
        return out;
    }

    /** @param what names the setting in the error message */
    static void requireRecipe(String what, String recipeArn) {
        if (recipeArn == null || !RECIPE_ARN.matcher(recipeArn).matches()) {
            throw new IllegalArgumentException(what + " must be a Personalize recipe ARN (arn:aws:personalize:::recipe/<name>), got '"
                    + recipeArn + "'");
        }
    }

    private static String recipeName(String recipeArn) {
        return matcher(recipeArn).group(2);
    }

    private static Matcher matcher(String recipeArn) {
        Matcher m = RECIPE_ARN.matcher(recipeArn);
        if (!m.matches()) throw new IllegalStateException("not a recipe ARN: " + recipeArn);
        return m;
    }
}
