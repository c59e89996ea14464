package dev.recsys.common.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The total order of one entity's catalog records (an item's, a user's): update time, then the operation (in the
 * same millisecond a delete beats an upsert), then a digest of the content. Two different records of one entity
 * never share a revision, so every replica converges on the same state whatever the arrival order; the same record
 * always has the same revision, so a replay or a producer retry is recognised as already applied.
 */
final class Revision {

    /** Width of the update time in a revision: every non-negative long, zero-padded, so strings sort like numbers. */
    private static final int TIME_DIGITS = 19;

    private Revision() {}

    static String of(long updatedAt, boolean delete, String canonicalContent) {
        String time = Long.toString(updatedAt);
        return "0".repeat(TIME_DIGITS - time.length()) + time + (delete ? '1' : '0') + digest(canonicalContent);
    }

    private static String digest(String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
