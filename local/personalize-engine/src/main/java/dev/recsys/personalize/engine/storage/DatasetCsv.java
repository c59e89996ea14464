package dev.recsys.personalize.engine.storage;

import dev.recsys.personalize.engine.data.Interactions;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads dataset CSV files the way Personalize checks them: a header naming schema fields, every
 * non-nullable schema field present, no columns outside the schema, ids of at most 256 characters,
 * TIMESTAMP a whole number of epoch seconds, EVENT_VALUE a number.
 */
public final class DatasetCsv {

    static final int MAX_ID_LENGTH = 256;

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
            out.add(id(where, "USER_ID", r[user]), id(where, "ITEM_ID", r[item]), timestamp(where, r[time]), eventType, v);
        }
    }

    /** Checks an Items or Users file (its id column) and returns its row count. */
    public static long countRows(String source, BufferedReader in, Map<String, Boolean> fields, String idColumn)
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
            id(where, idColumn, r[id]);
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
