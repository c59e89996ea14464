package dev.recsys.personalize.engine.storage;

import static dev.recsys.common.keys.InteractionsDataset.IMPRESSION;
import static dev.recsys.common.keys.InteractionsDataset.RECOMMENDATION_ID;

import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.personalize.engine.data.Interactions;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads dataset CSV files the way Personalize checks them: a header naming schema fields, every
 * non-nullable schema field present, no columns outside the schema, ids of at most 256 characters,
 * TIMESTAMP a whole number of epoch seconds, EVENT_VALUE a number, IMPRESSION item ids separated by {@code |}
 * (at most 25, 1,000 characters), RECOMMENDATION_ID an id. Impressions are checked, not kept: no recipe here
 * trains on them.
 */
public final class DatasetCsv {

    static final int MAX_ID_LENGTH = 256;
    private static final Pattern IMPRESSION_SEPARATOR = Pattern.compile(Pattern.quote(InteractionsDataset.IMPRESSION_SEPARATOR));

    /**
     * @param fields   schema field names (upper case) mapped to whether they are nullable
     * @param source   name used in messages, e.g. the S3 URI
     */
    public static void readInteractions(String source, BufferedReader in, Map<String, Boolean> fields,
                                        Interactions.Builder out) throws DatasetValidationException, IOException {
        CsvReader csv = new CsvReader(in);
        Map<String, Integer> col = header(source, csv, fields);
        int user = col.get("USER_ID"), item = col.get("ITEM_ID"), time = col.get("TIMESTAMP");
        int type = col.getOrDefault("EVENT_TYPE", -1), value = col.getOrDefault("EVENT_VALUE", -1);
        boolean typeNullable = fields.getOrDefault("EVENT_TYPE", true);
        boolean valueNullable = fields.getOrDefault("EVENT_VALUE", true);
        int impression = col.getOrDefault(IMPRESSION, -1), recommendation = col.getOrDefault(RECOMMENDATION_ID, -1);
        String[] r;
        while ((r = csv.next()) != null) {
            String where = source + " line " + csv.line();
            if (r.length != col.size()) {
                throw new DatasetValidationException(where + ": expected " + col.size() + " columns, found " + r.length);
            }
            String eventType = type < 0 ? "" : r[type].trim();
            if (eventType.isEmpty() && !typeNullable) throw new DatasetValidationException(where + ": EVENT_TYPE is empty");
            float v = Float.NaN;
            if (value >= 0 && !r[value].isBlank()) {
                try {
                    v = Float.parseFloat(r[value].trim());
                } catch (NumberFormatException e) {
                    throw new DatasetValidationException(where + ": EVENT_VALUE '" + r[value] + "' is not a number");
                }
            } else if (value >= 0 && !valueNullable) {
                throw new DatasetValidationException(where + ": EVENT_VALUE is empty");
            }
            if (present(where, IMPRESSION, impression, r, fields)) impression(where, r[impression]);
            if (present(where, RECOMMENDATION_ID, recommendation, r, fields)) id(where, RECOMMENDATION_ID, r[recommendation]);
            out.add(id(where, "USER_ID", r[user]), id(where, "ITEM_ID", r[item]), timestamp(where, r[time]), eventType, v);
        }
    }

    /** One checked row of an Items or Users file: its id and every column's value (upper-case names). */
    @FunctionalInterface
    public interface RowSink {
        void row(String where, String id, Map<String, String> columns) throws DatasetValidationException;
    }

    /** Checks an Items or Users file (its id column) and hands each row to {@code out}; returns the row count. */
    public static long readRows(String source, BufferedReader in, Map<String, Boolean> fields, String idColumn, RowSink out)
            throws DatasetValidationException, IOException {
        CsvReader csv = new CsvReader(in);
        Map<String, Integer> col = header(source, csv, fields);
        Integer id = col.get(idColumn);
        if (id == null) throw new DatasetValidationException(source + ": the CSV has no " + idColumn + " column");
        long rows = 0;
        String[] r;
        while ((r = csv.next()) != null) {
            String where = source + " line " + csv.line();
            if (r.length != col.size()) {
                throw new DatasetValidationException(where + ": expected " + col.size() + " columns, found " + r.length);
            }
            for (Map.Entry<String, Integer> c : col.entrySet()) present(where, c.getKey(), c.getValue(), r, fields);
            Map<String, String> columns = new HashMap<>();
            for (Map.Entry<String, Integer> c : col.entrySet()) columns.put(c.getKey(), r[c.getValue()]);
            out.row(where, id(where, idColumn, r[id]), columns);
            rows++;
        }
        return rows;
    }

    private static Map<String, Integer> header(String source, CsvReader csv, Map<String, Boolean> fields)
            throws DatasetValidationException, IOException {
        String[] names = csv.next();
        if (names == null) throw new DatasetValidationException(source + ": the file is empty (no header row)");
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            String name = names[i].trim().toUpperCase(Locale.ROOT);
            if (!fields.containsKey(name)) {
                throw new DatasetValidationException(source + ": column " + names[i].trim() + " is not in the dataset schema " + fields.keySet());
            }
            if (col.put(name, i) != null) throw new DatasetValidationException(source + ": column " + name + " appears twice");
        }
        Set<String> missing = new TreeSet<>();
        fields.forEach((name, nullable) -> {
            if (!nullable && !col.containsKey(name)) missing.add(name);
        });
        if (!missing.isEmpty()) {
            throw new DatasetValidationException(source + ": the CSV header is missing required columns " + missing);
        }
        return col;
    }

    /** Whether an optional column has a value on this row; empty is an error only where the schema says non-null. */
    private static boolean present(String where, String column, int index, String[] row, Map<String, Boolean> fields)
            throws DatasetValidationException {
        if (index < 0) return false;
        if (!row[index].isBlank()) return true;
        if (!fields.get(column)) throw new DatasetValidationException(where + ": " + column + " is empty");
        return false;
    }

    private static void impression(String where, String raw) throws DatasetValidationException {
        String value = raw.trim();
        if (value.length() > InteractionsDataset.MAX_IMPRESSION_CHARS) {
            throw new DatasetValidationException(where + ": IMPRESSION is longer than " + InteractionsDataset.MAX_IMPRESSION_CHARS
                    + " characters");
        }
        String[] items = IMPRESSION_SEPARATOR.split(value, -1);
        if (items.length > InteractionsDataset.MAX_IMPRESSION_ITEMS) {
            throw new DatasetValidationException(where + ": IMPRESSION lists " + items.length + " items; at most "
                    + InteractionsDataset.MAX_IMPRESSION_ITEMS + " are allowed");
        }
        for (String item : items) id(where, "an IMPRESSION item", item);
    }

    private static String id(String where, String column, String raw) throws DatasetValidationException {
        String id = raw.trim();
        if (id.isEmpty()) throw new DatasetValidationException(where + ": " + column + " is empty");
        if (id.length() > MAX_ID_LENGTH) {
            throw new DatasetValidationException(where + ": " + column + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    private static long timestamp(String where, String raw) throws DatasetValidationException {
        try {
            long t = Long.parseLong(raw.trim());
            if (t < 0) throw new NumberFormatException();
            return t;
        } catch (NumberFormatException e) {
            throw new DatasetValidationException(where + ": TIMESTAMP '" + raw + "' is not epoch seconds");
        }
    }

    private DatasetCsv() {}
}
