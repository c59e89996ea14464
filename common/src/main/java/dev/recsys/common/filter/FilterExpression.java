package dev.recsys.common.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * </pre>
 *
 * conditions of one dataset joined with AND / OR (AND binds tighter; parentheses group), and clauses joined with
 * {@code |}. As in Personalize, the INCLUDE clauses keep the union of what they match, the EXCLUDE clauses drop
 * the union of theirs, and their order does not matter. A condition on a field the item lacks is false, so an
 * unknown item is dropped by any INCLUDE and never by an EXCLUDE on item fields. {@code IF CurrentUser...},
 * the Users and Actions datasets and interaction fields other than EVENT_TYPE are refused.
 */
public final class FilterExpression {

    /** Personalize's CreateFilter bound on filterExpression. */
    public static final int MAX_LENGTH = 2500;

    private final String text;
    private final List<Clause> clauses;
    private final Set<String> parameters;
    private final Set<String> itemFields;
    private final boolean usesCurrentItem;
    private final boolean usesInteractions;

    private FilterExpression(String text, List<Clause> clauses) {
        this.text = text;
        this.clauses = List.copyOf(clauses);
        Set<String> params = new LinkedHashSet<>();
        Set<String> fields = new TreeSet<>();
        boolean[] current = {false};
        boolean interactions = false;
        for (Clause c : clauses) {
            c.condition().visit(params, fields, current);
            interactions |= c.condition().dataset() == Dataset.INTERACTIONS;
        }
        this.parameters = Collections.unmodifiableSet(params);
        this.itemFields = Collections.unmodifiableSet(fields);
        this.usesCurrentItem = current[0];
        this.usesInteractions = interactions;
    }

    public static FilterExpression parse(String text) {
        if (text == null || text.isBlank()) throw new InvalidFilterExpressionException("the filter expression is empty");
        if (text.length() > MAX_LENGTH) {
            throw new InvalidFilterExpressionException("the filter expression is " + text.length() + " characters; at most " + MAX_LENGTH);
        }
        return new FilterExpression(text, new Parser(text).expression());
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

    public boolean usesCurrentItem() {
        return usesCurrentItem;
    }

    public boolean usesInteractions() {
        return usesInteractions;
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
            c.condition().visit(own, new TreeSet<>(), new boolean[1]);
            List<String> missing = own.stream().filter(p -> values.get(p) == null || values.get(p).isEmpty()).toList();
            if (!missing.isEmpty()) {
                if (c.include()) throw new IllegalArgumentException("no value for " + missing + " (an INCLUDE needs all its parameters)");
                continue;
            }
            c.condition().check(values);
            (c.include() ? includes : excludes).add(c);
        }
        Map<String, List<String>> bound = Map.copyOf(values);
        if (includes.isEmpty() && excludes.isEmpty()) return ItemFilter.KEEP_ALL;
        return (itemId, inputs) -> {
            Row row = new Row(itemId, inputs, bound);
            if (!includes.isEmpty() && includes.stream().noneMatch(c -> c.condition().test(row))) return false;
            return excludes.stream().noneMatch(c -> c.condition().test(row));
        };
    }

    @Override
    public String toString() {
        return text;
    }

    // ---- the parsed form ----

    enum Dataset { ITEMS, INTERACTIONS }

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

    record Clause(boolean include, Condition condition) {}

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
                    ? row.inputs().eventTypes(row.itemId()) : row.item().values(field);
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
            if (dataset == Dataset.ITEMS) fields.add(field);
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

    record Compare(String field, Comparison op, Operand operand) implements Condition {
        @Override
        public Dataset dataset() {
            return Dataset.ITEMS;
        }

        @Override
        public boolean test(Row row) {
            Double have = row.item().number(field);
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

    // ---- the parser ----

    private static final class Parser {
        private final String text;
        private final List<Token> tokens;
        private int at;

        Parser(String text) {
            this.text = text;
            this.tokens = Lexer.tokens(text);
        }

        List<Clause> expression() {
            List<Clause> clauses = new ArrayList<>();
            clauses.add(clause());
            while (peekIs(Kind.PIPE)) {
                next();
                clauses.add(clause());
            }
            if (peek().kind != Kind.END) throw error("unexpected " + peek().describe());
            return clauses;
        }

        private Clause clause() {
            Token t = next();
            boolean include;
            if (t.isWord("INCLUDE")) include = true;
            else if (t.isWord("EXCLUDE")) include = false;
            else throw error(t, "expected INCLUDE or EXCLUDE, found " + t.describe());
            Token subject = next();
            if (subject.isWord("ActionID") || subject.isWord("UserID")) {
                throw error(subject, subject.text + " filters are not supported: this platform filters items (ItemID)");
            }
            if (!subject.isWord("ItemID")) throw error(subject, "expected ItemID, found " + subject.describe());
            Token where = next();
            if (!where.isWord("WHERE")) throw error(where, "expected WHERE, found " + where.describe());
            Condition c = or();
            if (peek().isWord("IF")) {
                throw error(peek(), "IF CurrentUser conditions are not supported: they need a Users dataset");
            }
            return new Clause(include, c);
        }

        private Condition or() {
            List<Condition> parts = new ArrayList<>(List.of(and()));
            while (peek().isWord("OR")) {
                next();
                parts.add(sameDataset(parts.get(0), and()));
            }
            return parts.size() == 1 ? parts.get(0) : new Junction(false, parts);
        }

        private Condition and() {
            List<Condition> parts = new ArrayList<>(List.of(primary()));
            while (peek().isWord("AND")) {
                next();
                parts.add(sameDataset(parts.get(0), primary()));
            }
            return parts.size() == 1 ? parts.get(0) : new Junction(true, parts);
        }

        private Condition sameDataset(Condition first, Condition next) {
            if (first.dataset() != next.dataset()) {
                throw error("conditions joined with AND or OR must use the dataset of the first (" + name(first.dataset())
                        + "); join " + name(next.dataset()) + " with | as its own clause");
            }
            return next;
        }

        private Condition primary() {
            if (peekIs(Kind.LPAREN)) {
                next();
                Condition c = or();
                expect(Kind.RPAREN, "')'");
                return c;
            }
            Token ds = next();
            if (ds.kind != Kind.WORD) throw error(ds, "expected a condition such as Items.FIELD IN (...), found " + ds.describe());
            Dataset dataset;
            if (ds.isWord("Items")) dataset = Dataset.ITEMS;
            else if (ds.isWord("Interactions")) dataset = Dataset.INTERACTIONS;
            else if (ds.isWord("Users") || ds.isWord("CurrentUser")) throw error(ds, ds.text + " conditions are not supported: they need a Users dataset");
            else if (ds.isWord("Actions") || ds.isWord("ActionInteractions")) throw error(ds, ds.text + " conditions are not supported");
            else throw error(ds, "expected Items or Interactions, found " + ds.describe());
            expect(Kind.DOT, "'.' after " + ds.text);
            Token f = next();
            if (f.kind != Kind.WORD) throw error(f, "expected a field name after " + ds.text + ".");
            String field = f.text.toUpperCase(Locale.ROOT);
            if (dataset == Dataset.INTERACTIONS && !field.equals("EVENT_TYPE")) {
                throw error(f, "Interactions." + f.text + " is not supported: filter interactions by EVENT_TYPE");
            }
            Token op = next();
            boolean negated = false;
            if (op.isWord("NOT")) {
                negated = true;
                op = next();
                if (!op.isWord("IN")) throw error(op, "expected IN after NOT, found " + op.describe());
            }
            if (op.isWord("IN")) {
                return new Membership(dataset, field, negated, inList(dataset));
            }
            if (op.kind == Kind.COMPARE) {
                if (dataset == Dataset.INTERACTIONS) throw error(op, "Interactions.EVENT_TYPE takes IN or NOT IN, not " + op.text);
                Comparison cmp = switch (op.text) {
                    case "=" -> Comparison.EQ;
                    case "!=" -> Comparison.NE;
                    case "<" -> Comparison.LT;
                    case "<=" -> Comparison.LE;
                    case ">" -> Comparison.GT;
                    default -> Comparison.GE;
                };
                return new Compare(field, cmp, numericOperand());
            }
            throw error(op, "expected IN, NOT IN or a comparison (=, !=, <, <=, >, >=) after " + ds.text + "." + f.text + ", found " + op.describe());
        }

        private List<Operand> inList(Dataset dataset) {
            expect(Kind.LPAREN, "'(' after IN");
            List<Operand> out = new ArrayList<>();
            do {
                if (!out.isEmpty()) next();
                Token v = next();
                switch (v.kind) {
                    case STRING -> {
                        if (v.text.equals("*")) {
                            if (dataset != Dataset.INTERACTIONS) throw error(v, "\"*\" matches every event type: only Interactions.EVENT_TYPE takes it");
                            out.add(new AnyType());
                        } else {
                            if (v.text.isEmpty()) throw error(v, "an empty value \"\"");
                            out.add(new Literal(v.text));
                        }
                    }
                    case PARAM -> out.add(new Parameter(v.text));
                    case WORD -> {
                        if (!v.isWord("CurrentItem")) throw error(v, "expected a quoted value, a $PARAMETER or CurrentItem.FIELD, found " + v.describe());
                        if (dataset != Dataset.ITEMS) throw error(v, "CurrentItem compares with Items fields only");
                        out.add(currentField());
                    }
                    case NUMBER -> throw error(v, "IN compares strings: quote " + v.text);
                    default -> throw error(v, "expected a value in IN (...), found " + v.describe());
                }
            } while (peekIs(Kind.COMMA));
            expect(Kind.RPAREN, "')' closing IN (...)");
            return out;
        }

        private Operand numericOperand() {
            Token v = next();
            return switch (v.kind) {
                case NUMBER -> new Literal(v.text);
                case PARAM -> new Parameter(v.text);
                case WORD -> {
                    if (!v.isWord("CurrentItem")) throw error(v, "expected a number, a $PARAMETER or CurrentItem.FIELD, found " + v.describe());
                    yield currentField();
                }
                case STRING -> throw error(v, "comparisons take numbers: " + v.describe() + " is a string (IN compares strings)");
                default -> throw error(v, "expected a number, a $PARAMETER or CurrentItem.FIELD, found " + v.describe());
            };
        }

        private CurrentField currentField() {
            expect(Kind.DOT, "'.' after CurrentItem");
            Token f = next();
            if (f.kind != Kind.WORD) throw error(f, "expected a field name after CurrentItem.");
            return new CurrentField(f.text.toUpperCase(Locale.ROOT));
        }

        private static String name(Dataset d) {
            return d == Dataset.ITEMS ? "Items" : "Interactions";
        }

        private Token peek() {
            return tokens.get(at);
        }

        private boolean peekIs(Kind k) {
            return peek().kind == k;
        }

        private Token next() {
            Token t = tokens.get(at);
            if (t.kind != Kind.END) at++;
            return t;
        }

        private void expect(Kind k, String what) {
            Token t = next();
            if (t.kind != k) throw error(t, "expected " + what + ", found " + t.describe());
        }

        private InvalidFilterExpressionException error(String message) {
            return error(peek(), message);
        }

        private InvalidFilterExpressionException error(Token t, String message) {
            return new InvalidFilterExpressionException("Invalid filter expression at position " + (t.position + 1) + ": " + message
                    + " (in: " + text + ")");
        }
    }

    enum Kind { WORD, STRING, NUMBER, PARAM, LPAREN, RPAREN, COMMA, DOT, PIPE, COMPARE, END }

    record Token(Kind kind, String text, int position) {
        boolean isWord(String w) {
            return kind == Kind.WORD && text.equalsIgnoreCase(w);
        }

        String describe() {
            return switch (kind) {
                case END -> "the end";
                case STRING -> "\"" + text + "\"";
                case PARAM -> "$" + text;
                default -> "'" + text + "'";
            };
        }
    }

    private static final class Lexer {
        static List<Token> tokens(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"') {
                    int end = s.indexOf('"', i + 1);
                    if (end < 0) throw new InvalidFilterExpressionException("Invalid filter expression at position " + (i + 1) + ": a quote is not closed (in: " + s + ")");
                    out.add(new Token(Kind.STRING, s.substring(i + 1, end), i));
                    i = end + 1;
                } else if (c == '$') {
                    int end = i + 1;
                    while (end < s.length() && isWordChar(s.charAt(end))) end++;
                    if (end == i + 1) throw new InvalidFilterExpressionException("Invalid filter expression at position " + (i + 1) + ": '$' without a parameter name (in: " + s + ")");
                    String name = s.substring(i + 1, end);
                    if (!FilterValues.KEY.matcher(name).matches()) {
                        throw new InvalidFilterExpressionException("Invalid filter expression at position " + (i + 1) + ": parameter names are 1-"
                                + FilterValues.MAX_KEY_LENGTH + " of [A-Za-z0-9_] (in: " + s + ")");
                    }
                    out.add(new Token(Kind.PARAM, name, i));
                    i = end;
                } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                    int end = i + 1;
                    while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) end++;
                    String number = s.substring(i, end);
                    if (parseNumber(number) == null) throw new InvalidFilterExpressionException("Invalid filter expression at position " + (i + 1) + ": " + number + " is not a number (in: " + s + ")");
                    out.add(new Token(Kind.NUMBER, number, i));
                    i = end;
                } else if (isWordChar(c)) {
                    int end = i;
                    while (end < s.length() && isWordChar(s.charAt(end))) end++;
                    out.add(new Token(Kind.WORD, s.substring(i, end), i));
                    i = end;
                } else if (c == '<' || c == '>' || c == '!' || c == '=') {
                    boolean two = i + 1 < s.length() && s.charAt(i + 1) == '=' && c != '=';
                    String op = two ? s.substring(i, i + 2) : String.valueOf(c);
                    if (op.equals("!")) throw new InvalidFilterExpressionException("Invalid filter expression at position " + (i + 1) + ": '!' must be '!=' (in: " + s + ")");
                    out.add(new Token(Kind.COMPARE, op, i));
                    i += op.length();
                } else {
                    Kind k = switch (c) {
                        case '(' -> Kind.LPAREN;
                        case ')' -> Kind.RPAREN;
                        case ',' -> Kind.COMMA;
                        case '.' -> Kind.DOT;
                        case '|' -> Kind.PIPE;
                        default -> throw new InvalidFilterExpressionException("Invalid filter expression at position " + (i + 1) + ": unexpected '" + c + "' (in: " + s + ")");
                    };
                    out.add(new Token(k, String.valueOf(c), i));
                    i++;
                }
            }
            out.add(new Token(Kind.END, "", s.length()));
            return out;
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }
    }
}
