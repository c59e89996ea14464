package dev.recsys.common.keys;

import java.util.ArrayList;
import java.util.List;

/**
 * The Personalize Interactions dataset the pipeline prepares: the CSV columns the Glue job writes and the
 * schema the training Lambda creates come from one list, so header and schema cannot drift apart.
 * IMPRESSION and RECOMMENDATION_ID are always there, empty where an interaction names no answer we know.
 */
public final class InteractionsDataset {

    public static final String USER_ID = "USER_ID";
    public static final String ITEM_ID = "ITEM_ID";
    public static final String EVENT_TYPE = "EVENT_TYPE";
    public static final String EVENT_VALUE = "EVENT_VALUE";
    public static final String TIMESTAMP = "TIMESTAMP";
    /** The items the answer showed, in order, joined by {@link #IMPRESSION_SEPARATOR}. */
    public static final String IMPRESSION = "IMPRESSION";
    /** Personalize's own id of the answer, so it can tie the interaction to the recommendation it made. */
    public static final String RECOMMENDATION_ID = "RECOMMENDATION_ID";

    public static final String IMPRESSION_SEPARATOR = "|";
    /** Personalize takes at most 25 items in an impression (PutEvents' limit; the pipeline keeps bulk data to it too). */
    public static final int MAX_IMPRESSION_ITEMS = 25;
    /** Personalize's quota on an impression value in bulk data. */
    public static final int MAX_IMPRESSION_CHARS = 1_000;

    private InteractionsDataset() {}

    /** The CSV columns in order; EVENT_VALUE only when the deployment uses it. */
    public static List<String> columns(boolean includeEventValue) {
        List<String> cols = new ArrayList<>(List.of(USER_ID, ITEM_ID, EVENT_TYPE));
        if (includeEventValue) cols.add(EVENT_VALUE);
        cols.addAll(List.of(TIMESTAMP, IMPRESSION, RECOMMENDATION_ID));
        return List.copyOf(cols);
    }

    /** The Avro schema of {@link #columns}, with the types Personalize reserves for these names. */
    public static String schemaJson(boolean includeEventValue) {
        StringBuilder fields = new StringBuilder();
        for (String c : columns(includeEventValue)) {
            if (!fields.isEmpty()) fields.append(',');
            fields.append("{\"name\":\"").append(c).append("\",\"type\":").append(avroType(c)).append('}');
        }
        return "{\"type\":\"record\",\"name\":\"Interactions\",\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
                + fields + "],\"version\":\"1.0\"}";
    }

    private static String avroType(String column) {
        return switch (column) {
            case EVENT_VALUE -> "[\"null\",\"float\"]";
            case TIMESTAMP -> "\"long\"";
            case IMPRESSION, RECOMMENDATION_ID -> "[\"null\",\"string\"]";
            default -> "\"string\"";
        };
    }

    /**
     * The IMPRESSION value of an answer: its first items, as many as fit Personalize's item and character
     * limits, or null when it showed nothing. Item ids are contract ids, which never contain the separator.
     */
    public static String impression(List<String> items) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (String item : items) {
            int length = out.length() + (n == 0 ? 0 : IMPRESSION_SEPARATOR.length()) + item.length();
            if (n == MAX_IMPRESSION_ITEMS || length > MAX_IMPRESSION_CHARS) break;
            if (n > 0) out.append(IMPRESSION_SEPARATOR);
            out.append(item);
            n++;
        }
        return n == 0 ? null : out.toString();
    }
}
