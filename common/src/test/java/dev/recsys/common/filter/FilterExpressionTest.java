package dev.recsys.common.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each supported form keeps exactly the items it should; refused forms name what is wrong. */
class FilterExpressionTest {

    /** A small hand-checkable catalog: id → (category, genres, price, available). */
    static final Map<String, FilterItem> CATALOG = new LinkedHashMap<>();
    static {
        put("b1", "books", List.of("sci-fi"), 5.0, "true");
        put("b2", "books", List.of("drama", "sci-fi"), 15.0, "false");
        put("g1", "games", List.of("action"), 30.0, "true");
        put("m1", "music", List.of(), 9.99, "true");
        put("bare", null, List.of(), null, null);
        // "ghost" is not in the catalog at all
    }

    static void put(String id, String category, List<String> genres, Double price, String available) {
        Map<String, List<String>> c = new HashMap<>();
        if (category != null) c.put("category", List.of(category));
        if (!genres.isEmpty()) c.put("GENRES", genres);
        if (available != null) c.put("AVAILABLE", List.of(available));
        Map<String, Double> n = new HashMap<>();
        if (price != null) n.put("PRICE", price);
        CATALOG.put(id, new FilterItem(c, n));
    }

    static final List<String> IDS = List.of("b1", "b2", "g1", "m1", "bare", "ghost");

    static Set<String> kept(String expression, Map<String, List<String>> values, String current, Map<String, Set<String>> events) {
        return kept(expression, values, current, events, FilterItem.EMPTY);
    }

    static Set<String> kept(String expression, Map<String, List<String>> values, String current, Map<String, Set<String>> events,
                            FilterItem user) {
        ItemFilter f = FilterExpression.parse(expression).bind(values);
        FilterInputs in = new FilterInputs() {
            @Override
            public FilterItem item(String id) {
                return CATALOG.getOrDefault(id, FilterItem.EMPTY);
            }

            @Override
            public FilterItem currentItem() {
                return current == null ? null : CATALOG.get(current);
            }

            @Override
            public FilterItem currentUser() {
                return user;
            }

            @Override
            public Set<String> eventTypes(String id) {
                return events.getOrDefault(id, Set.of());
            }
        };
        Set<String> out = new TreeSet<>();
        for (String id : IDS) if (f.keeps(id, in)) out.add(id);
        return out;
    }

    static Set<String> kept(String expression) {
        return kept(expression, Map.of(), null, Map.of());
    }

    static Set<String> set(String... ids) {
        return new TreeSet<>(List.of(ids));
    }

    @Test
    void inAndNotInOnCategoricalFields() {
        assertThat(kept("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\")")).isEqualTo(set("b1", "b2"));
        assertThat(kept("INCLUDE ItemID WHERE Items.GENRES IN (\"sci-fi\", \"action\")")).as("any value of a multi-value field")
                .isEqualTo(set("b1", "b2", "g1"));
        assertThat(kept("EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")")).as("unknown items are not excluded")
                .isEqualTo(set("b1", "g1", "m1", "bare", "ghost"));
        assertThat(kept("INCLUDE ItemID WHERE Items.GENRES NOT IN (\"drama\")")).as("NOT IN: has the field, none of the values")
                .isEqualTo(set("b1", "g1"));
        assertThat(kept("EXCLUDE ItemID WHERE Items.GENRES NOT IN (\"sci-fi\")")).isEqualTo(set("b1", "b2", "m1", "bare", "ghost"));
        assertThat(kept("include itemid where items.category in (\"music\")")).as("keywords and fields ignore case").isEqualTo(set("m1"));
    }

    @Test
    void numericComparisons() {
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE < 10")).isEqualTo(set("b1", "m1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE <= 15")).isEqualTo(set("b1", "b2", "m1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE > 15")).isEqualTo(set("g1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE >= 15")).isEqualTo(set("b2", "g1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE = 9.99")).isEqualTo(set("m1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE != 5")).isEqualTo(set("b2", "g1", "m1"));
        assertThat(kept("EXCLUDE ItemID WHERE Items.PRICE > 10")).isEqualTo(set("b1", "m1", "bare", "ghost"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE > -1.5")).isEqualTo(set("b1", "b2", "g1", "m1"));
    }

    @Test
    void parametersTakeTheRequestsValues() {
        String byCategory = "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)";
        assertThat(kept(byCategory, Map.of("CATEGORY", List.of("games", "music")), null, Map.of())).isEqualTo(set("g1", "m1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE < $MAX", Map.of("MAX", List.of("10")), null, Map.of())).isEqualTo(set("b1", "m1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\", $MORE)", Map.of("MORE", List.of("games")), null, Map.of()))
                .isEqualTo(set("b1", "b2", "g1"));
        assertThat(FilterExpression.parse("INCLUDE ItemID WHERE Items.PRICE < $MAX AND Items.CATEGORY IN ($C, $MAX)").parameters())
                .containsExactly("MAX", "C");
    }

    @Test
    void anIncludeNeedsItsValuesAnExcludeWithoutThemIsLeftOut() {
        assertThatThrownBy(() -> FilterExpression.parse("INCLUDE ItemID WHERE Items.CATEGORY IN ($C)").bind(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[C]");
        assertThat(kept("EXCLUDE ItemID WHERE Items.CATEGORY IN ($C)")).as("as in Personalize, the part is not applied").hasSize(IDS.size());
        assertThat(kept("EXCLUDE ItemID WHERE Items.CATEGORY IN ($C) | EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")"))
                .isEqualTo(set("b1", "g1", "m1", "bare", "ghost"));
        assertThatThrownBy(() -> FilterExpression.parse("INCLUDE ItemID WHERE Items.PRICE < $MAX").bind(Map.of("MAX", List.of("cheap"))))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> FilterExpression.parse("INCLUDE ItemID WHERE Items.PRICE < $MAX").bind(Map.of("MAX", List.of("1", "2"))))
                .hasMessageContaining("one number");
    }

    @Test
    void interactionsExcludeWhatTheUserDid() {
        Map<String, Set<String>> events = Map.of("b1", Set.of("click"), "g1", Set.of("purchase", "click"), "ghost", Set.of("purchase"));
        assertThat(kept("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")", Map.of(), null, events))
                .isEqualTo(set("b1", "b2", "m1", "bare"));
        assertThat(kept("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")", Map.of(), null, events))
                .isEqualTo(set("b2", "m1", "bare"));
        assertThat(kept("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")", Map.of(), null, events)).isEqualTo(set("b1", "g1"));
        assertThat(kept("INCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN (\"purchase\")", Map.of(), null, events))
                .as("some event of another type").isEqualTo(set("b1", "g1"));
        FilterExpression e = FilterExpression.parse("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")");
        assertThat(e.usesInteractions()).isTrue();
        assertThat(e.itemFields()).isEmpty();
    }

    @Test
    void currentItemComparesWithTheSeed() {
        assertThat(kept("INCLUDE ItemID WHERE Items.CATEGORY IN (CurrentItem.CATEGORY)", Map.of(), "b2", Map.of())).isEqualTo(set("b1", "b2"));
        assertThat(kept("INCLUDE ItemID WHERE Items.GENRES IN (CurrentItem.GENRES)", Map.of(), "b2", Map.of())).isEqualTo(set("b1", "b2"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE", Map.of(), "b2", Map.of())).isEqualTo(set("b1", "m1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE", Map.of(), "bare", Map.of())).as("the seed lacks the field")
                .isEmpty();
        FilterExpression e = FilterExpression.parse("INCLUDE ItemID WHERE Items.BRAND IN (CurrentItem.BRAND)");
        assertThat(e.usesCurrentItem()).isTrue();
        assertThat(e.itemFields()).containsExactly("BRAND");
    }

    @Test
    void andOrAndParentheses() {
        assertThat(kept("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\") AND Items.PRICE < 10")).isEqualTo(set("b1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.CATEGORY IN (\"games\") OR Items.PRICE < 10")).isEqualTo(set("b1", "g1", "m1"));
        assertThat(kept("INCLUDE ItemID WHERE Items.CATEGORY IN (\"music\") OR Items.CATEGORY IN (\"books\") AND Items.PRICE > 10"))
                .as("AND binds tighter").isEqualTo(set("b2", "m1"));
        assertThat(kept("INCLUDE ItemID WHERE (Items.CATEGORY IN (\"music\") OR Items.CATEGORY IN (\"books\")) AND Items.PRICE < 10"))
                .isEqualTo(set("b1", "m1"));
    }

    @Test
    void clausesCombineAsPersonalizeDocuments() {
        String a = "INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\")";
        String b = "INCLUDE ItemID WHERE Items.PRICE > 20";
        String c = "EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")";
        String d = "EXCLUDE ItemID WHERE Items.PRICE < 6";
        assertThat(kept(a + " | " + b)).as("includes: the union").isEqualTo(set("b1", "b2", "g1"));
        assertThat(kept(c + " | " + d)).as("excludes: drop the union").isEqualTo(set("g1", "m1", "bare", "ghost"));
        assertThat(kept(a + " | " + c)).isEqualTo(set("b1"));
        assertThat(kept(c + " | " + a)).as("order does not matter").isEqualTo(set("b1"));
        assertThat(kept(a + " | " + d + " | " + b + " | " + c)).isEqualTo(set("g1"));
    }

    static FilterItem user(String membership, Integer age) {
        Map<String, List<String>> c = new HashMap<>();
        if (membership != null) c.put("MEMBERSHIP", List.of(membership));
        Map<String, Double> n = new HashMap<>();
        if (age != null) n.put("AGE", age.doubleValue());
        return new FilterItem(c, n);
    }

    @Test
    void ifCurrentUserAppliesAClauseOnlyToTheUsersItNames() {
        String adultsOnly = "EXCLUDE ItemID WHERE Items.CATEGORY IN (\"games\") IF CurrentUser.AGE < 18";
        Set<String> all = set("b1", "b2", "g1", "m1", "bare", "ghost");
        assertThat(kept(adultsOnly, Map.of(), null, Map.of(), user(null, 12))).isEqualTo(set("b1", "b2", "m1", "bare", "ghost"));
        assertThat(kept(adultsOnly, Map.of(), null, Map.of(), user(null, 30))).as("condition not met: clause left out").isEqualTo(all);
        assertThat(kept(adultsOnly, Map.of(), null, Map.of(), user("free", null))).as("user without the field").isEqualTo(all);
        assertThat(kept(adultsOnly, Map.of(), null, Map.of(), FilterItem.EMPTY)).as("unknown user").isEqualTo(all);

        String freeCheap = "INCLUDE ItemID WHERE Items.PRICE <= 10 IF CurrentUser.MEMBERSHIP IN (\"free\")";
        assertThat(kept(freeCheap, Map.of(), null, Map.of(), user("free", 30))).isEqualTo(set("b1", "m1"));
        assertThat(kept(freeCheap, Map.of(), null, Map.of(), user("plus", 30))).as("an INCLUDE left out keeps everything").isEqualTo(all);
        assertThat(kept("INCLUDE ItemID WHERE Items.PRICE <= 10 IF CurrentUser.MEMBERSHIP NOT IN (\"free\")", Map.of(), null, Map.of(),
                user("plus", 30))).isEqualTo(set("b1", "m1"));
        assertThat(kept(freeCheap + " | INCLUDE ItemID WHERE Items.CATEGORY IN (\"games\")", Map.of(), null, Map.of(), user("plus", 1)))
                .as("only the applying INCLUDE counts").isEqualTo(set("g1"));

        String param = "EXCLUDE ItemID WHERE Items.CATEGORY IN (\"games\") IF CurrentUser.AGE < $MIN_AGE AND CurrentUser.MEMBERSHIP IN ($PLANS)";
        FilterExpression e = FilterExpression.parse(param);
        assertThat(e.parameters()).containsExactly("MIN_AGE", "PLANS");
        assertThat(e.usesCurrentUser()).isTrue();
        assertThat(e.itemFields()).as("CurrentUser fields are not Items fields").containsExactly("CATEGORY");
        assertThat(e.userFields()).containsExactly("AGE", "MEMBERSHIP");
        assertThat(kept(param, Map.of("MIN_AGE", List.of("21"), "PLANS", List.of("free", "plus")), null, Map.of(), user("plus", 19)))
                .doesNotContain("g1");
        assertThat(kept(param, Map.of("MIN_AGE", List.of("21"), "PLANS", List.of("free")), null, Map.of(), user("plus", 19)))
                .contains("g1");
        assertThat(kept(param, Map.of(), null, Map.of(), user("plus", 19))).as("an EXCLUDE without its values is left out").contains("g1");
        assertThatThrownBy(() -> e.bind(Map.of("MIN_AGE", List.of("old"), "PLANS", List.of("free"))))
                .hasMessageContaining("not a number");
        assertThat(FilterExpression.parse("EXCLUDE ItemID WHERE Items.PRICE > 1").usesCurrentUser()).isFalse();
    }

    @Test
    void unsupportedFormsAreRefusedSayingWhy() {
        assertRefused("INCLUDE ItemID WHERE Users.AGE > 18", "IF CurrentUser");
        assertRefused("INCLUDE UserID WHERE Users.AGE > 18", "UserID");
        assertRefused("INCLUDE ItemID WHERE CurrentUser.AGE > 18", "after IF");
        assertRefused("INCLUDE ItemID WHERE Items.PRICE > 1 IF Items.PRICE > 2", "IF condition reads CurrentUser");
        assertRefused("INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.AGE > CurrentItem.PRICE", "CurrentItem compares with Items");
        assertRefused("INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.SEGMENT IN (CurrentItem.CATEGORY)", "CurrentItem compares with Items");
        assertRefused("INCLUDE ItemID WHERE Items.PRICE > 1 IF", "a condition");
        assertRefused("INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.AGE > 18 IF CurrentUser.AGE < 60", "unexpected");
        assertRefused("INCLUDE ActionID WHERE Actions.VALUE IN (\"a\")", "ActionID");
        assertRefused("EXCLUDE ItemID WHERE Interactions.EVENT_VALUE > 3", "EVENT_TYPE");
        assertRefused("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"a\") AND Items.PRICE > 3", "dataset of the first");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN (\"*\")", "Interactions.EVENT_TYPE");
        assertRefused("INCLUDE ItemID WHERE Items.PRICE > \"10\"", "numbers");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN (10)", "quote");
        assertRefused("INCLUDE ItemID WHERE", "position 21");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN (\"a\"", "')'");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN (\"a)", "quote is not closed");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN (\"a\") |", "INCLUDE or EXCLUDE");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY = \"a\"", "numbers");
        assertRefused("KEEP ItemID WHERE Items.CATEGORY IN (\"a\")", "INCLUDE or EXCLUDE");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN ($)", "parameter name");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN (\"a\") extra", "unexpected");
        assertRefused("", "empty");
        assertRefused("INCLUDE ItemID WHERE Items.CATEGORY IN (\"" + "a".repeat(FilterExpression.MAX_LENGTH) + "\")", "at most 2500");
    }

    private static void assertRefused(String expression, String reason) {
        assertThatThrownBy(() -> FilterExpression.parse(expression)).isInstanceOf(InvalidFilterExpressionException.class)
                .hasMessageContaining(reason);
    }
}
