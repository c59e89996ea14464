package dev.recsys.local.stack.env;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * For the functions' tests: an environment that remembers every variable name looked up in it ({@code get},
 * {@code getOrDefault}, {@code containsKey}), set or not, so a test can compare the names a configuration reads with
 * the ones the contract declares for it.
 */
public final class RecordingEnvironment extends HashMap<String, String> {

    private final Set<String> read = new TreeSet<>();

    public RecordingEnvironment(Map<String, String> values) {
        super(values);
    }

    /** Every name looked up so far, sorted. */
    public Set<String> read() {
        return Collections.unmodifiableSet(read);
    }

    @Override
    public String get(Object key) {
        read.add((String) key);
        return super.get(key);
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
        read.add((String) key);
        return super.getOrDefault(key, defaultValue);
    }

    @Override
    public boolean containsKey(Object key) {
        read.add((String) key);
        return super.containsKey(key);
    }
}
