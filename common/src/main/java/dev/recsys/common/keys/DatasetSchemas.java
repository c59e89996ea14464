package dev.recsys.common.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** What {@link ItemsDataset} and {@link UsersDataset} build the same way from their column lists. */
final class DatasetSchemas {

    private DatasetSchemas() {}

    /** Personalize's Avro schema of the columns, as CreateSchema takes it. */
    static String schemaJson(String name, List<String> columns, Function<String, String> avroType, Predicate<String> categorical) {
        StringBuilder fields = new StringBuilder();
        for (String c : columns) {
            if (!fields.isEmpty()) fields.append(',');
            fields.append("{\"name\":\"").append(c).append("\",\"type\":").append(avroType.apply(c));
            if (categorical.test(c)) fields.append(",\"categorical\":true");
            fields.append('}');
        }
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
                + fields + "],\"version\":\"1.0\"}";
    }

    /** One CSV row in column order; an absent value is the empty string (Personalize reads it as null). */
    static List<String> row(List<String> columns, Map<String, String> values) {
        List<String> row = new ArrayList<>(columns.size());
        for (String c : columns) row.add(values.getOrDefault(c, ""));
        return row;
    }
}
