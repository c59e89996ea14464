package dev.recsys.training;

import dev.recsys.common.pipeline.PreparationManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Manifests as the Glue job writes them, for the tasks that read one. */
final class Manifests {

    private Manifests() {}

    static byte[] of(String runId, String status, long read, long duplicates, Map<String, Long> dropped, long written,
                     long users, long items, List<PreparationManifest.PopularItem> popular) {
        boolean ok = status.equals(PreparationManifest.SUCCEEDED);
        return new PreparationManifest(runId, status, ok ? null : "too little data", "2026-02-28T12:00:00Z",
                "2026-03-01T12:00:00Z", 24, 0, read, duplicates, new TreeMap<>(dropped), written, users, items, 4, 0,
                List.of("USER_ID", "ITEM_ID", "EVENT_TYPE", "TIMESTAMP"), ok ? "prepared/" + runId + "/interactions/" : null,
                popular).toJson().getBytes(StandardCharsets.UTF_8);
    }
}
