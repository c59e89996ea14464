package dev.recsys.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.filter.FilterExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Cache fields per filter and values, the default filter, filtered fallbacks, metadata and the config checks of the core. */
class FilteredServiceTest {

    static final Map<String, String> FILTERS = FilteredAnswersPropertiesTest.FILTERS;

    /** Records every (hash, field) it is asked for and always computes. */
    static final class RecordingCache implements AnswerCache {
        final List<String> keys = new ArrayList<>();

        @Override
        public Lookup get(String hashKey, String field, Supplier<Computed> compute, String requestId) {
            keys.add(hashKey + " " + field);
            return new Lookup(compute.get().value(), CacheOutcome.MISS);
        }
    }

    private static RequestOptions filter(String name, Map<String, List<String>> values) {
        return new RequestOptions(name, values, List.of());
    }

    @Test
    void eachFilterAndValuesIsItsOwnEntryInTheUsersHash() {
        RecordingCache cache = new RecordingCache();
        ServiceRig rig = new ServiceRig(FILTERS, "exclude-purchased", List.of(), cache);
        String route = Exposure.USER_RECOMMENDATIONS;
        rig.service.recommendForUser(route, "u1", 5, filter("in-category", Map.of("CATEGORY", List.of("books", "games"))), "r");
        rig.service.recommendForUser(route, "u1", 5, filter("in-category", Map.of("CATEGORY", List.of("games", "books"))), "r");
        rig.service.recommendForUser(route, "u1", 5, filter("in-category", Map.of("CATEGORY", List.of("music"))), "r");
        rig.service.recommendForUser(route, "u1", 5, RequestOptions.NONE, "r");
        rig.service.recommendForUser(route, "u1", 5, filter("available", Map.of()), "r");
        rig.service.recommendForUser(route, "u1", 5, new RequestOptions(null, Map.of(), List.of("GENRES")), "r");
        assertThat(cache.keys).allMatch(k -> k.startsWith(RecommendationCacheKeys.userKey("u1") + " "),
                "one hash per user: the consumer's DEL clears every filter's entries");
        assertThat(cache.keys.get(0)).as("values in another order are the same answer").isEqualTo(cache.keys.get(1));
        assertThat(cache.keys.get(0)).contains("in-category(CATEGORY:books,games)");
        assertThat(cache.keys.subList(1, 6)).as("filter, values, default filter and metadata each their own field").doesNotHaveDuplicates();
        assertThat(cache.keys.get(3)).as("the default filter is part of the field").contains("exclude-purchased()");

        rig.service.trending(null, 5, RequestOptions.NONE, "r");
        rig.service.trending("u2", 5, filter("exclude-purchased", Map.of()), "r");
        assertThat(cache.keys.get(6)).startsWith(RecommendationCacheKeys.globalKey("trending") + " ");
        assertThat(cache.keys.get(7)).startsWith(RecommendationCacheKeys.userKey("u2") + " ").contains("exclude-purchased()");
    }

    @Test
    void cacheFieldsOfDifferentValuesNeverCollideEvenWithSeparatorsInThem() {
        assertThat(RecommendationCacheKeys.filterPart("f", Map.of("A", List.of("x,y"))))
                .isNotEqualTo(RecommendationCacheKeys.filterPart("f", Map.of("A", List.of("x", "y"))));
        assertThat(RecommendationCacheKeys.filterPart("f", Map.of("A", List.of("x;B:y"))))
                .isNotEqualTo(RecommendationCacheKeys.filterPart("f", Map.of("A", List.of("x"), "B", List.of("y"))));
        assertThat(RecommendationCacheKeys.filterPart(null, Map.of())).isEmpty();
        String longValues = RecommendationCacheKeys.filterPart("f", Map.of("A", List.of("v".repeat(500))));
        assertThat(longValues).startsWith("f#").hasSize(2 + 64);
        assertThat(longValues).isNotEqualTo(RecommendationCacheKeys.filterPart("f", Map.of("A", List.of("v".repeat(501)))));
    }

    @Test
    void theDefaultFilterLeavesOutWhatTheUserBoughtInModelAndFallbackAnswers() {
        ServiceRig rig = new ServiceRig(FILTERS, "exclude-purchased");
        for (String id : List.of("a", "b", "c", "d")) {
            rig.item(id, Map.of("CATEGORY", List.of("books")), Map.of());
            rig.popular.add(new ScoredItem(id, null));
        }
        rig.interacted("u1", "b", "purchase");
        rig.interacted("u1", "c", "click");
        Answer model = rig.service.recommendForUser(Exposure.USER_RECOMMENDATIONS, "u1", 10, RequestOptions.NONE, "r").answer();
        assertThat(model.items()).extracting(ScoredItem::itemId).containsExactly("a", "c", "d");
        assertThat(rig.asked.get(0).filterArn()).endsWith("filter/exclude-purchased");

        rig.failWith = FallbackReason.TIMEOUT;
        Answer fallback = rig.service.recommendForUser(Exposure.RECOMMEND, "u1", 10, RequestOptions.NONE, "r").answer();
        assertThat(fallback.source()).isEqualTo(Answer.FALLBACK);
        assertThat(fallback.items()).extracting(ScoredItem::itemId).containsExactly("a", "c", "d");
        Answer similar = rig.service.similarItems("a", "u1", 10, RequestOptions.NONE, "r").answer();
        assertThat(similar.items()).as("no default outside user recommendations").extracting(ScoredItem::itemId).containsExactly("b", "c", "d");
    }

    @Test
    void fallbackAnswersKeepOnlyWhatTheFilterKeepsReadingPagesUntilEnoughPass() {
        ServiceRig rig = new ServiceRig(FILTERS, null);
        for (int i = 0; i < 250; i++) {
            String id = "i" + i;
            rig.item(id, Map.of("CATEGORY", List.of(i % 50 == 7 ? "games" : "books"), "AVAILABLE", List.of("true")), Map.of("PRICE", (double) i));
            rig.popular.add(new ScoredItem(id, null));
        }
        rig.popular.add(new ScoredItem("not-in-catalog", null));
        rig.failWith = FallbackReason.BACKEND_5XX;
        Answer games = rig.service.trending(null, 4, filter("in-category", Map.of("CATEGORY", List.of("games"))), "r").answer();
        assertThat(games.items()).extracting(ScoredItem::itemId).containsExactly("i7", "i57", "i107", "i157");
        Answer cheap = rig.service.popular(null, 3, filter("cheaper", Map.of("MAX_PRICE", List.of("2")))).answer();
        assertThat(cheap.items()).extracting(ScoredItem::itemId).containsExactly("i0", "i1");
        Answer available = rig.service.popular(null, 300, filter("available", Map.of())).answer();
        assertThat(available.items()).as("an item without attributes is not excluded by an EXCLUDE").hasSize(251);
        Answer sameCategory = rig.service.similarItems("i7", null, 3, filter("same-category", Map.of()), "r").answer();
        assertThat(sameCategory.items()).extracting(ScoredItem::itemId).containsExactly("i57", "i107", "i157");
    }

    @Test
    void whenTheCatalogCannotBeReadAFilteredFallbackShowsNothingRatherThanGuessing() {
        Filters filters = new Filters(Map.of("in-category", new NamedFilter("in-category", "arn:aws:personalize:us-east-1:1:filter/x",
                FilterExpression.parse(FILTERS.get("in-category")))), null);
        FallbackSelection broken = new FallbackSelection(ids -> {
            throw new IllegalStateException("throttled");
        }, userId -> Map.of(), userId -> {
            throw new IllegalStateException("throttled");
        });
        List<ScoredItem> candidates = List.of(new ScoredItem("a", null), new ScoredItem("b", null));
        FilterChoice f = filters.choose("in-category", Map.of("CATEGORY", List.of("books")), new Filters.Scope(null, null, false));
        assertThat(broken.select(candidates, 5, f, null, null, List.of())).isEmpty();
        assertThat(broken.select(candidates, 5, FilterChoice.NONE, null, null, List.of("GENRES")))
                .as("no filter: the items, without the metadata that could not be read").extracting(ScoredItem::itemId).containsExactly("a", "b");
    }

    @Test
    void anIfCurrentUserClauseAppliesToTheUsersItNamesOnTheFallbackPath() {
        ServiceRig rig = new ServiceRig(FILTERS, null);
        for (String id : List.of("b1", "g1", "b2", "g2")) {
            rig.item(id, Map.of("CATEGORY", List.of(id.startsWith("g") ? "games" : "books")), Map.of());
            rig.popular.add(new ScoredItem(id, null));
        }
        rig.users.put("minor", new dev.recsys.common.filter.FilterItem(Map.of(), Map.of("AGE", 12.0)));
        rig.users.put("adult", new dev.recsys.common.filter.FilterItem(Map.of(), Map.of("AGE", 30.0)));
        rig.failWith = FallbackReason.TIMEOUT;
        RequestOptions noGames = filter("no-games-for-minors", Map.of());
        assertThat(rig.service.recommendForUser(Exposure.USER_RECOMMENDATIONS, "minor", 4, noGames, "r").answer().items())
                .extracting(ScoredItem::itemId).containsExactly("b1", "b2");
        assertThat(rig.service.recommendForUser(Exposure.USER_RECOMMENDATIONS, "adult", 4, noGames, "r").answer().items())
                .extracting(ScoredItem::itemId).containsExactly("b1", "g1", "b2", "g2");
        assertThat(rig.service.recommendForUser(Exposure.USER_RECOMMENDATIONS, "stranger", 4, noGames, "r").answer().items())
                .as("a user without a Users record").extracting(ScoredItem::itemId).containsExactly("b1", "g1", "b2", "g2");
        assertThat(rig.service.popular(null, 4, noGames).answer().items()).as("no user: no IF applies").hasSize(4);
        FallbackSelection usersDown = new FallbackSelection(ids -> Map.of(), userId -> Map.of(), userId -> {
            throw new IllegalStateException("throttled");
        });
        FilterChoice f = rig.filters.choose("no-games-for-minors", Map.of(), new Filters.Scope(null, null, false));
        assertThat(usersDown.select(List.of(new ScoredItem("g1", null)), 5, f, "minor", null, List.of()))
                .as("the users table unreadable: nothing rather than a guess").isEmpty();
    }

    @Test
    void metadataComesFromTheCatalogOnTheFallbackPathAndUnderTheAskedNamesOnTheModelPath() {
        ServiceRig rig = new ServiceRig(FILTERS, null);
        rig.item("a", Map.of("GENRES", List.of("comedy", "drama"), "BRAND", List.of("acme")), Map.of());
        rig.popular.add(new ScoredItem("a", null));
        rig.popular.add(new ScoredItem("zz", null));
        rig.failWith = FallbackReason.CIRCUIT_OPEN;
        Answer fallback = rig.service.trending(null, 5, new RequestOptions(null, Map.of(), List.of("GENRES", "PRICE")), "r").answer();
        assertThat(fallback.items().get(0).metadata()).containsExactly(Map.entry("GENRES", "comedy|drama"));
        assertThat(fallback.items().get(1).metadata()).as("not in the catalog").isEmpty();

        ScoredItem fromModel = new ScoredItem("a", 0.3, "promo", Boolean.TRUE, Map.of("genres", "comedy", "brand", "acme"));
        assertThat(fromModel.metadataFor(List.of("GENRES")).metadata()).containsExactly(Map.entry("GENRES", "comedy"));
        assertThat(fromModel.metadataFor(List.of()).metadata()).as("none asked, none shown").isNull();
        assertThat(fromModel.metadataFor(List.of("GENRES")).promotionName()).isEqualTo("promo");
    }

    @Test
    void theDefaultFilterMustExistAndNeedNoValues() {
        NamedFilter withParam = new NamedFilter("in-category", "arn:aws:personalize:us-east-1:1:filter/x",
                FilterExpression.parse(FILTERS.get("in-category")));
        assertThatThrownBy(() -> new Filters(Map.of("in-category", withParam), "in-category"))
                .hasMessageContaining("has parameters").hasMessageContaining("CATEGORY");
        assertThatThrownBy(() -> new Filters(Map.of("in-category", withParam), "nope")).hasMessageContaining("not one of the filters");
    }

    @Test
    void aPromotionPerRouteAtMost() {
        NamedFilter f = new NamedFilter("available", "arn:aws:personalize:us-east-1:1:filter/x", FilterExpression.parse(FILTERS.get("available")));
        Promotion one = new Promotion("one", f, Map.of(), Map.of(), 10, java.util.Set.of(Exposure.USER_RECOMMENDATIONS));
        Promotion two = new Promotion("two", f, Map.of(), Map.of(), 10, java.util.Set.of(Exposure.USER_RECOMMENDATIONS));
        assertThatThrownBy(() -> new ServiceRig(FILTERS, null, List.of(one, two), null)).hasMessageContaining("two promotions");
    }
}
