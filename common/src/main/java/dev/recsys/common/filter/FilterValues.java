package dev.recsys.common.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A request's {@code $PARAM} values in Personalize's {@code filterValues} form: one entry per parameter, its values
 * each in double quotes and comma-separated ({@code "\"comedy\",\"drama\""}). Both directions check Personalize's
 * bounds (at most 25 entries, keys of {@code [A-Za-z0-9_]} up to 50 characters, each entry up to 1,000 characters)
 * and this platform's: a parameter has 1 to {@value #MAX_VALUES} values, none empty or holding a double quote.
 */
public final class FilterValues {

    public static final int MAX_PARAMETERS = 25;
    public static final int MAX_KEY_LENGTH = 50;
    public static final int MAX_ENTRY_LENGTH = 1000;
    public static final int MAX_VALUES = 100;
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]{1," + MAX_KEY_LENGTH + "}");

    private FilterValues() {}

    /** Personalize's form to values per parameter; malformed input throws {@link IllegalArgumentException}. */
    public static Map<String, List<String>> parse(Map<String, String> personalize) {
        Map<String, List<String>> out = new TreeMap<>();
        if (personalize == null) return out;
        checkCount(personalize.size());
        personalize.forEach((key, entry) -> {
            checkKey(key);
            if (entry == null) throw new IllegalArgumentException("filter value " + key + " is null");
            if (entry.length() > MAX_ENTRY_LENGTH) {
                throw new IllegalArgumentException("filter value " + key + " is " + entry.length() + " characters; at most " + MAX_ENTRY_LENGTH);
            }
            out.put(key, split(key, entry));
        });
        return out;
    }

    /** Values per parameter to Personalize's form, checked against the same bounds. */
    public static Map<String, String> format(Map<String, List<String>> values) {
        Map<String, String> out = new TreeMap<>();
        checkCount(values.size());
        values.forEach((key, list) -> {
            checkKey(key);
            if (list == null || list.isEmpty()) throw new IllegalArgumentException("filter value " + key + " has no values");
            if (list.size() > MAX_VALUES) {
                throw new IllegalArgumentException("filter value " + key + " has " + list.size() + " values; at most " + MAX_VALUES);
            }
            StringBuilder s = new StringBuilder();
            for (String v : list) {
                checkValue(key, v);
                if (!s.isEmpty()) s.append(',');
                s.append('"').append(v).append('"');
            }
            if (s.length() > MAX_ENTRY_LENGTH) {
                throw new IllegalArgumentException("filter value " + key + " is " + s.length() + " characters in Personalize's form; at most "
                        + MAX_ENTRY_LENGTH);
            }
            out.put(key, s.toString());
        });
        return out;
    }

    private static List<String> split(String key, String entry) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = entry.length();
        while (true) {
            while (i < n && entry.charAt(i) == ' ') i++;
            String value;
            if (i < n && entry.charAt(i) == '"') {
                int end = entry.indexOf('"', i + 1);
                if (end < 0) throw new IllegalArgumentException("filter value " + key + ": a quote is not closed");
                value = entry.substring(i + 1, end);
                i = end + 1;
            } else {
                // Bare values (a number, say) are accepted as Personalize accepts them.
                int end = entry.indexOf(',', i);
                if (end < 0) end = n;
                value = entry.substring(i, end).strip();
                if (value.indexOf('"') >= 0) throw new IllegalArgumentException("filter value " + key + ": stray quote in " + value);
                i = end;
            }
            checkValue(key, value);
            out.add(value);
            while (i < n && entry.charAt(i) == ' ') i++;
            if (i == n) break;
            if (entry.charAt(i) != ',') throw new IllegalArgumentException("filter value " + key + ": expected ',' at position " + i);
            i++;
        }
        if (out.size() > MAX_VALUES) {
            throw new IllegalArgumentException("filter value " + key + " has " + out.size() + " values; at most " + MAX_VALUES);
        }
        return out;
    }

    private static void checkCount(int n) {
        if (n > MAX_PARAMETERS) throw new IllegalArgumentException(n + " filter values; at most " + MAX_PARAMETERS);
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("filter value name " + key + " must be 1-" + MAX_KEY_LENGTH + " of [A-Za-z0-9_]");
        }
    }

    private static void checkValue(String key, String v) {
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("filter value " + key + " has an empty value");
        if (v.indexOf('"') >= 0) throw new IllegalArgumentException("filter value " + key + " holds a double quote");
    }
}
