package dev.recsys.glue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import dev.recsys.common.contract.Contract;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** common's shared shapes under the Jackson the Glue runtime ships with Spark 3.5, not the parent's. */
class PreparationManifestTest {

    @Test
    void runsOnSparksJackson() {
        assertThat(PackageVersion.VERSION.getMajorVersion()).isEqualTo(2);
        assertThat(PackageVersion.VERSION.getMinorVersion()).isEqualTo(15);
        assertThat(Contract.get().s3().rawInteractionsPrefix()).isEqualTo(S3Layout.RAW_PREFIX);
    }

    @Test
    void theManifestReadsBackAsWritten() throws Exception {
        TreeMap<String, Long> dropped = new TreeMap<>();
        dropped.put("malformed_json", 4L);
        dropped.put("outside_window", 3L);
        PreparationManifest written = new PreparationManifest("run-1", PreparationManifest.SUCCEEDED, null,
                "2026-02-28T12:00:00Z", "2026-03-01T12:00:00Z", 24, 3, 1_520, 13, dropped, 1_500, 60, 40, 4, 120,
                List.of("USER_ID", "ITEM_ID"), S3Layout.preparedRunPrefix("run-1") + "interactions/",
                List.of(new PreparationManifest.PopularItem("item-1", 40), new PreparationManifest.PopularItem("item-2", 30)));

        PreparationManifest read = PreparationManifest.parse(written.toJson().getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(written);
        assertThat(read.droppedTotal()).isEqualTo(7);
        PreparationManifest insufficient = new PreparationManifest("run-2", PreparationManifest.INSUFFICIENT_DATA, "too few",
                "a", "b", 0, 0, 0, 0, new TreeMap<>(), 0, 0, 0, 0, 0, List.of(), null, List.of());
        assertThat(PreparationManifest.parse(insufficient.toJson().getBytes(StandardCharsets.UTF_8))).isEqualTo(insufficient);
    }
}
