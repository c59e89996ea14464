package dev.recsys.api.ab;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sticky A/B assignment: a user's bucket (0..99) is a stable hash of the experiment salt and the
 * user id, the same in every JVM and every Lambda instance, so a user always sees the same variant
 * until the configuration changes. Weights must add up to 100.
 */
public final class VariantAssigner {

    private final String salt;
    private final List<Variant> variants;
    private final Variant[] byBucket = new Variant[100];

    public VariantAssigner(String salt, List<Variant> variants) {
        validate(variants);
        int from = 0;
        for (Variant v : variants) {
            for (int b = from; b < from + v.weight(); b++) {
                byBucket[b] = v;
            }
            from += v.weight();
        }
        this.salt = salt == null ? "" : salt;
        this.variants = List.copyOf(variants);
    }

    /** At least one variant, unique names, weights adding up to exactly 100. */
    public static void validate(List<Variant> variants) {
        if (variants == null || variants.isEmpty()) {
            throw new IllegalArgumentException("at least one variant is required");
        }
        int sum = 0;
        List<String> names = new ArrayList<>();
        for (Variant v : variants) {
            if (names.contains(v.name())) {
                throw new IllegalArgumentException("duplicate variant name: " + v.name());
            }
            names.add(v.name());
            sum += v.weight();
        }
        if (sum != 100) {
            throw new IllegalArgumentException("variant weights must sum to 100, got " + sum);
        }
    }

    public Variant assign(String userId) {
        return byBucket[bucket(salt, userId)];
    }

    public List<Variant> variants() {
        return variants;
    }

    /** FNV-1a over "salt:userId" then the MurmurHash3 finalizer, so near-identical ids spread evenly. */
    static int bucket(String salt, String userId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (salt + ":" + userId).getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, 100);
    }
}
