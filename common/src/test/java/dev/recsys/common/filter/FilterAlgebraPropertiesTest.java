package dev.recsys.common.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Over random catalogs and random single conditions, the clause algebra Personalize documents holds: INCLUDE A
 * keeps exactly what A matches, EXCLUDE A exactly the rest, and a combined expression equals the set formula
 * (union of includes, minus union of excludes) in any order.
 */
class FilterAlgebraPropertiesTest {

    static final List<String> VALUES = List.of("a", "b", "c", "d");

    record World(List<FilterItem> items, List<String> conditions, List<Boolean> includes) {}

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<FilterItem> item = Combinators.combine(
                Arbitraries.of(VALUES).set().ofMaxSize(3),
                Arbitraries.doubles().between(0, 100).injectNull(0.2)).as((cats, price) -> {
                    Map<String, List<String>> c = new HashMap<>();
                    if (!cats.isEmpty()) c.put("TAGS", new ArrayList<>(cats));
                    Map<String, Double> n = new HashMap<>();
                    if (price != null) n.put("PRICE", Math.rint(price));
                    return new FilterItem(c, n);
                });
        Arbitrary<String> condition = Arbitraries.oneOf(
                Arbitraries.of(VALUES).set().ofMinSize(1).ofMaxSize(3).map(s -> "Items.TAGS IN (" + quoted(s) + ")"),
                Arbitraries.of(VALUES).set().ofMinSize(1).ofMaxSize(3).map(s -> "Items.TAGS NOT IN (" + quoted(s) + ")"),
                Combinators.combine(Arbitraries.of("<", "<=", ">", ">=", "=", "!="), Arbitraries.integers().between(0, 100))
                        .as((op, n) -> "Items.PRICE " + op + " " + n));
        return Combinators.combine(item.list().ofMinSize(1).ofMaxSize(30), condition.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(true, false).list().ofSize(4)).as(World::new);
    }

    private static String quoted(Set<String> values) {
        return String.join(", ", values.stream().map(v -> "\"" + v + "\"").toList());
    }

    @Property(tries = 300)
    void combinedExpressionsAreTheSetFormulaOfTheirClauses(@ForAll("worlds") World w) {
        List<String> clauses = new ArrayList<>();
        for (int c = 0; c < w.conditions().size(); c++) {
            clauses.add((w.includes().get(c) ? "INCLUDE" : "EXCLUDE") + " ItemID WHERE " + w.conditions().get(c));
        }
        List<String> reversed = new ArrayList<>(clauses);
        java.util.Collections.reverse(reversed);
        ItemFilter combined = FilterExpression.parse(String.join(" | ", clauses)).bind(Map.of());
        ItemFilter backwards = FilterExpression.parse(String.join(" | ", reversed)).bind(Map.of());
        for (int i = 0; i < w.items().size(); i++) {
            FilterInputs in = inputs(w.items().get(i));
            boolean anyInclude = false;
            boolean included = false;
            boolean excluded = false;
            for (int c = 0; c < clauses.size(); c++) {
                boolean include = w.includes().get(c);
                boolean matches = FilterExpression.parse("INCLUDE ItemID WHERE " + w.conditions().get(c)).bind(Map.of()).keeps("x", in);
                boolean dropped = !FilterExpression.parse("EXCLUDE ItemID WHERE " + w.conditions().get(c)).bind(Map.of()).keeps("x", in);
                assertThat(dropped).as("EXCLUDE drops exactly what INCLUDE keeps: " + w.conditions().get(c)).isEqualTo(matches);
                if (include) {
                    anyInclude = true;
                    included |= matches;
                } else {
                    excluded |= matches;
                }
            }
            boolean expected = (!anyInclude || included) && !excluded;
            assertThat(combined.keeps("x", in)).as(String.join(" | ", clauses) + " on " + w.items().get(i)).isEqualTo(expected);
            assertThat(backwards.keeps("x", in)).as("order does not matter").isEqualTo(expected);
        }
    }

    @Property(tries = 200)
    void inKeepsExactlyTheItemsSharingAValueAndNotInTheOthersThatHaveTheField(@ForAll("worlds") World w) {
        ItemFilter in = FilterExpression.parse("INCLUDE ItemID WHERE Items.TAGS IN (\"a\", \"b\")").bind(Map.of());
        ItemFilter notIn = FilterExpression.parse("INCLUDE ItemID WHERE Items.TAGS NOT IN (\"a\", \"b\")").bind(Map.of());
        for (FilterItem item : w.items()) {
            List<String> tags = item.categorical().getOrDefault("TAGS", List.of());
            boolean shares = tags.contains("a") || tags.contains("b");
            assertThat(in.keeps("x", inputs(item))).isEqualTo(shares);
            assertThat(notIn.keeps("x", inputs(item))).isEqualTo(!tags.isEmpty() && !shares);
        }
    }

    private static FilterInputs inputs(FilterItem item) {
        return new FilterInputs() {
            @Override
            public FilterItem item(String id) {
                return item;
            }

            @Override
            public FilterItem currentItem() {
                return null;
            }

            @Override
            public FilterItem currentUser() {
                return FilterItem.EMPTY;
            }

            @Override
            public Set<String> eventTypes(String id) {
                return Set.of();
            }
        };
    }
}
