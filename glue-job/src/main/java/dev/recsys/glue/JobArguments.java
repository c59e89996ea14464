package dev.recsys.glue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Glue-style job arguments: {@code --name value} pairs. Glue adds its own ({@code --JOB_ID},
 * {@code --TempDir}, ...), so unknown names are kept, not rejected; a name followed by another
 * name is a flag with value {@code true}.
 */
public final class JobArguments {

    private final Map<String, String> values;

    private JobArguments(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static JobArguments parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("expected --name, got '" + a + "' at position " + i);
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
        return new JobArguments(values);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
    }

    public String required(String name) {
        return get(name).orElseThrow(() -> new IllegalArgumentException("missing required job argument --" + name));
    }

    public int intValue(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null || v.isBlank()) return defaultValue;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    public boolean flag(String name, boolean defaultValue) {
        String v = values.get(name);
        if (v == null || v.isBlank()) return defaultValue;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("--" + name + " must be true or false, got '" + v + "'");
    }
}
