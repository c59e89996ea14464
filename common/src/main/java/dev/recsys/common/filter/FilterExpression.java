package dev.recsys.common.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Personalize filter expression, parsed once and bound per request. The forms teams use are supported:
 *
 * <pre>
 * INCLUDE|EXCLUDE ItemID WHERE Items.FIELD [NOT] IN ("a", $PARAM, CurrentItem.FIELD)
 * INCLUDE|EXCLUDE ItemID WHERE Items.FIELD =|!=|&lt;|&lt;=|&gt;|&gt;= 10 | $PARAM | CurrentItem.FIELD
 * EXCLUDE ItemID WHERE Interactions.EVENT_TYPE [NOT] IN ("purchase", "*")
 * ... IF CurrentUser.FIELD [NOT] IN ("a", $PARAM) | CurrentUser.FIELD =|!=|&lt;|... 18 | $PARAM
 * </pre>
 *
 * conditions of one dataset joined with AND / OR (AND binds tighter; parentheses group), and clauses joined with
 * {@code |}. As in Personalize, the INCLUDE clauses keep the union of what they match, the EXCLUDE clauses drop
 * the union of theirs, and their order does not matter. A condition on a field the item lacks is false, so an
 * unknown item is dropped by any INCLUDE and never by an EXCLUDE on item fields. A clause with {@code IF} applies
 * only to users whose Users-dataset values meet its condition (an unknown user, or one without the field, meets
 * none); for everyone else the clause is left out, as if not written. User filters ({@code UserID}, the Users
 * dataset in WHERE), the Actions datasets and interaction fields other than EVENT_TYPE are refused.
 */
public final class FilterExpression {

    /** Personalize's CreateFilter bound on filterExpression. */
    public static final int MAX_LENGTH = 2500;

    private final String text;
    private final List<Clause> clauses;
    private final Set<String> parameters;
    private final Set<String> itemFields;
    private final Set<String> userFields;
    private final boolean usesCurrentItem;
    private final boolean usesInteractions;
    private final boolean usesCurrentUser;

    private FilterExpression(String text, List<Clause> clauses) {
        this.text = text;
        this.clauses = List.copyOf(clauses);
        Set<String> params = new LinkedHashSet<>();
        Set<String> fields = new TreeSet<>();
        Set<String> users = new TreeSet<>();
        boolean[] current = {false};
        boolean interactions = false;
        for (Clause c : clauses) {
            c.condition().visit(params, fields, current);
            if (c.userCondition() != null) c.userCondition().visit(params, users, current);
            interactions |= c.condition().dataset() == Dataset.INTERACTIONS;
        }
        this.parameters = Collections.unmodifiableSet(params);
        this.itemFields = Collections.unmodifiableSet(fields);
        this.userFields = Collections.unmodifiableSet(users);
        this.usesCurrentItem = current[0];
        this.usesInteractions = interactions;
        this.usesCurrentUser = !users.isEmpty();
    }

    public static FilterExpression parse(String text) {
        if (text == null || text.isBlank()) throw new InvalidFilterExpressionException("the filter expression is empty");
        if (text.length() > MAX_LENGTH) {
            throw new InvalidFilterExpressionException("the filter expression is " + text.length() + " characters; at most " + MAX_LENGTH);
        }
        return new FilterExpression(text, new FilterParser(text).expression());
    }

    public String text() {
        return text;
    }

    /** The {@code $PARAM} names (without {@code $}), in order of first use. */
    public Set<String> parameters() {
        return parameters;
    }

    /** The Items fields the expression reads (upper-cased), its own and CurrentItem's. */
    public Set<String> itemFields() {
        return itemFields;
    }

    /** The Users fields {@code IF CurrentUser...} conditions read (upper-cased); empty when none. */
    public Set<String> userFields() {
        return userFields;
    }

    public boolean usesCurrentItem() {
        return usesCurrentItem;
    }

    public boolean usesInteractions() {
        return usesInteractions;
    }

    /** Whether a clause has an {@code IF CurrentUser...} condition (the request's user's Users-dataset values). */
    public boolean usesCurrentUser() {
        return usesCurrentUser;
    }

    /**
     * Binds the request's values. As in Personalize, every parameter of an INCLUDE clause needs a value; an EXCLUDE
     * clause whose parameters have none is left out. A parameter compared with {@code =, <, ...} needs one number.
     */
    public ItemFilter bind(Map<String, List<String>> values) {
        List<Clause> includes = new ArrayList<>();
        List<Clause> excludes = new ArrayList<>();
        for (Clause c : clauses) {
            Set<String> own = new LinkedHashSet<>();
            c.parameters(own);
            List<String> missing = own.stream().filter(p -> values.get(p) == null || values.get(p).isEmpty()).toList();
            if (!missing.isEmpty()) {
                if (c.include()) throw new IllegalArgumentException("no value for " + missing + " (an INCLUDE needs all its parameters)");
                continue;
            }
            c.condition().check(values);
            if (c.userCondition() != null) c.userCondition().check(values);
            (c.include() ? includes : excludes).add(c);
        }
        Map<String, List<String>> bound = Map.copyOf(values);
        if (includes.isEmpty() && excludes.isEmpty()) return ItemFilter.KEEP_ALL;
        return (itemId, inputs) -> {
            Row row = new Row(itemId, inputs, bound);
            boolean anyInclude = false;
            boolean included = false;
            for (Clause c : includes) {
                if (!c.appliesTo(row)) continue;
                anyInclude = true;
                if (c.condition().test(row)) {
                    included = true;
                    break;
                }
            }
            if (anyInclude && !included) return false;
            for (Clause c : excludes) if (c.appliesTo(row) && c.condition().test(row)) return false;
            return true;
        };
    }

    @Override
    public String toString() {
        return text;
    }

    // ---- the parsed form ----

    /** Where a condition reads: the candidate's Items values, the user's interactions with it, the user's Users values. */
    enum Dataset { ITEMS, INTERACTIONS, CURRENT_USER }

    enum Comparison {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double a, double b) {
            return switch (this) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
            };
        }
    }

    /** @param userCondition the {@code IF CurrentUser...} condition; null when the clause applies to every user */
    record Clause(boolean include, Condition condition, Condition userCondition) {
        boolean appliesTo(Row row) {
            return userCondition == null || userCondition.test(row);
        }

        /** The parameters the clause needs, its condition's and its IF's. */
        void parameters(Set<String> params) {
            condition.visit(params, new TreeSet<>(), new boolean[1]);
            if (userCondition != null) userCondition.visit(params, new TreeSet<>(), new boolean[1]);
        }
    }

    /** One candidate under evaluation. */
    record Row(String itemId, FilterInputs inputs, Map<String, List<String>> values) {
        FilterItem item() {
            FilterItem i = inputs.item(itemId);
            return i == null ? FilterItem.EMPTY : i;
        }

        FilterItem current() {
            FilterItem c = inputs.currentItem();
            return c == null ? FilterItem.EMPTY : c;
        }

        FilterItem user() {
            FilterItem u = inputs.currentUser();
            return u == null ? FilterItem.EMPTY : u;
        }

        FilterItem of(Dataset d) {
            return d == Dataset.CURRENT_USER ? user() : item();
        }
    }

    /** A value in an IN list or on the right of a comparison. */
    sealed interface Operand permits Literal, Parameter, CurrentField, AnyType {}

    record Literal(String value) implements Operand {}

    record Parameter(String name) implements Operand {}

    record CurrentField(String field) implements Operand {}

    /** {@code "*"}: every event type. */
    record AnyType() implements Operand {}

    sealed interface Condition permits Junction, Membership, Compare {
        Dataset dataset();

        boolean test(Row row);

        void visit(Set<String> params, Set<String> fields, boolean[] current);

        void check(Map<String, List<String>> values);
    }

    record Junction(boolean and, List<Condition> parts) implements Condition {
        @Override
        public Dataset dataset() {
            return parts.get(0).dataset();
        }

        @Override
        public boolean test(Row row) {
            return and ? parts.stream().allMatch(p -> p.test(row)) : parts.stream().anyMatch(p -> p.test(row));
        }

        @Override
        public void visit(Set<String> params, Set<String> fields, boolean[] current) {
            parts.forEach(p -> p.visit(params, fields, current));
        }

        @Override
        public void check(Map<String, List<String>> values) {
            parts.forEach(p -> p.check(values));
        }
    }

    /** @param literals the quoted values, kept as a set so a request over thousands of candidates does not rebuild it */
    record Membership(Dataset dataset, String field, boolean negated, List<Operand> operands, Set<String> literals) implements Condition {
        Membership(Dataset dataset, String field, boolean negated, List<Operand> operands) {
            this(dataset, field, negated, List.copyOf(operands), Set.copyOf(operands.stream()
                    .filter(o -> o instanceof Literal).map(o -> ((Literal) o).value()).toList()));
        }

        @Override
        public boolean test(Row row) {
            boolean onlyLiterals = literals.size() == operands.size();
            Set<String> wanted = onlyLiterals ? literals : new java.util.HashSet<>(literals);
            boolean any = false;
            for (Operand o : onlyLiterals ? List.<Operand>of() : operands) {
                if (o instanceof Literal) continue;
                if (o instanceof Parameter p) wanted.addAll(row.values().get(p.name()));
                else if (o instanceof CurrentField c) wanted.addAll(row.current().values(c.field()));
                else any = true;
            }
            java.util.Collection<String> have = dataset == Dataset.INTERACTIONS
                    ? row.inputs().eventTypes(row.itemId()) : row.of(dataset).values(field);
            if (have == null || have.isEmpty()) return false;
            if (any) return !negated;
            boolean hit = false;
            boolean miss = false;
            for (String h : have) {
                if (wanted.contains(h)) hit = true;
                else miss = true;
            }
            // NOT IN: the item has the field and none of its values is listed (for events: some event type is not).
            return negated ? (dataset == Dataset.INTERACTIONS ? miss : !hit) : hit;
        }

        @Override
        public void visit(Set<String> params, Set<String> fields, boolean[] current) {
            if (dataset != Dataset.INTERACTIONS) fields.add(field); // an IF's visit collects into the user fields
            for (Operand o : operands) {
                if (o instanceof Parameter p) params.add(p.name());
                if (o instanceof CurrentField c) {
                    fields.add(c.field());
                    current[0] = true;
                }
            }
        }

        @Override
        public void check(Map<String, List<String>> values) {}
    }

    /** @param dataset ITEMS or CURRENT_USER */
    record Compare(Dataset dataset, String field, Comparison op, Operand operand) implements Condition {
        @Override
        public boolean test(Row row) {
            Double have = row.of(dataset).number(field);
            if (have == null) return false;
            Double other;
            if (operand instanceof Literal l) other = parseNumber(l.value());
            else if (operand instanceof Parameter p) other = parseNumber(row.values().get(p.name()).get(0));
            else if (operand instanceof CurrentField c) other = row.current().number(c.field());
            else other = null;
            return other != null && op.holds(have, other);
        }

        @Override
        public void visit(Set<String> params, Set<String> fields, boolean[] current) {
            fields.add(field);
            if (operand instanceof Parameter p) params.add(p.name());
            if (operand instanceof CurrentField c) {
                fields.add(c.field());
                current[0] = true;
            }
        }

        @Override
        public void check(Map<String, List<String>> values) {
            if (operand instanceof Parameter p) {
                List<String> v = values.get(p.name());
                if (v.size() != 1) {
                    throw new IllegalArgumentException("$" + p.name() + " is compared with " + op.symbol + ": give one number, not " + v.size() + " values");
                }
                if (parseNumber(v.get(0)) == null) {
                    throw new IllegalArgumentException("$" + p.name() + " is compared with " + op.symbol + ": " + v.get(0) + " is not a number");
                }
            }
        }
    }

    static Double parseNumber(String s) {
        try {
            double d = Double.parseDouble(s.strip());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
