package dev.recsys.common.filter;

import static dev.recsys.common.filter.FilterExpression.parseNumber;

import dev.recsys.common.filter.FilterExpression.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Personalize's filter language to {@link FilterExpression}'s clauses: a recursive-descent parser over a small lexer.
 * Every error names the position and the text, as Personalize's InvalidInputException does.
 */
final class FilterParser {
    private final String text;
    private final List<Token> tokens;
    private int at;
    /** Inside {@code IF ...}: conditions read CurrentUser, and nothing else. */
    private boolean inIf;

    FilterParser(String text) {
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
        Condition user = null;
        if (peek().isWord("IF")) {
            next();
            inIf = true;
            try {
                user = or();
            } finally {
                inIf = false;
            }
        }
        return new Clause(include, c, user);
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
        if (ds.isWord("Actions") || ds.isWord("ActionInteractions")) throw error(ds, ds.text + " conditions are not supported");
        if (ds.isWord("Users")) {
            throw error(ds, "Users conditions select users (INCLUDE UserID), which this platform does not filter; "
                    + "to apply a clause to some users only, end it with IF CurrentUser.FIELD ...");
        }
        if (inIf) {
            if (!ds.isWord("CurrentUser")) throw error(ds, "an IF condition reads CurrentUser.FIELD, found " + ds.describe());
            dataset = Dataset.CURRENT_USER;
        } else if (ds.isWord("Items")) dataset = Dataset.ITEMS;
        else if (ds.isWord("Interactions")) dataset = Dataset.INTERACTIONS;
        else if (ds.isWord("CurrentUser")) throw error(ds, "CurrentUser conditions go after IF, at the end of a clause");
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
            return new Compare(dataset, field, cmp, numericOperand());
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
                if (inIf) throw error(v, "CurrentItem compares with Items fields only");
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
        return switch (d) {
            case ITEMS -> "Items";
            case INTERACTIONS -> "Interactions";
            case CURRENT_USER -> "CurrentUser";
        };
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
