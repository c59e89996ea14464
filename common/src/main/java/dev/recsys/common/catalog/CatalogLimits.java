package dev.recsys.common.catalog;

import java.util.regex.Pattern;

/**
 * Bounds every accepted item record stays within. Categorical values are kept to characters that are safe inside
 * Personalize's filter expressions (quoted values) and its multi-value separator: no {@code |}, {@code "} or
 * {@code ,}.
 */
public final class CatalogLimits {

    public static final int MAX_CATEGORICAL_LENGTH = 64;
    public static final Pattern CATEGORICAL = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9 _.:&/+'()-]{0," + (MAX_CATEGORICAL_LENGTH - 1) + "}");
    public static final int MAX_GENRES = 10;
    public static final double MAX_PRICE = 1e9;
    public static final int MAX_DISPLAY_FIELDS = 16;
    public static final int MAX_DISPLAY_KEY_LENGTH = 64;
    public static final Pattern DISPLAY_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_DISPLAY_KEY_LENGTH - 1) + "}");
    public static final int MAX_DISPLAY_VALUE_LENGTH = 1024;
    /** A user record's greatest {@code age}. */
    public static final int MAX_AGE = 150;

    private CatalogLimits() {}

    public static boolean isCategorical(String s) {
        return s != null && CATEGORICAL.matcher(s).matches();
    }

    /** Display values are non-empty free text: line breaks and tabs are allowed, other control characters are not. */
    public static boolean isDisplayValue(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_DISPLAY_VALUE_LENGTH) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') return false;
        }
        return true;
    }
}
