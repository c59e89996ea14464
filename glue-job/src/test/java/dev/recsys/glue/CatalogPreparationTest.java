package dev.recsys.glue;

import static dev.recsys.glue.CatalogBucket.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Items dataset from the stream's archived item records and bulk files, in Spark local mode on a file:// bucket. */
class CatalogPreparationTest {

    private static SparkSession spark;

    @TempDir
    Path dir;
    private CatalogBucket bucket;

    @BeforeAll
    static void startSpark() {
        spark = PrepareInteractionsJob.session("local[2]", null);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void bucket() {
        bucket = new CatalogBucket(dir, S3Layout::rawItemObjectKey);
    }

    private static CatalogItem upsert(String id, long updatedAt, String category, boolean available) {
        return new CatalogItem(id, CatalogItem.Operation.UPSERT, updatedAt, category, "acme", List.of("g1", "g2"), 9.5, T - 86_400_000L,
                available, Map.of("title", "Item " + id));
    }

    @Test
    void theLatestRecordOfEachItemWinsWhateverTheOrderAndDeletedItemsStayOut() throws IOException {
        // i-1: two versions, the later archived first, and a replay of the older one.
        archive("shard-0", upsert("i-1", T + 2_000, "new", true), upsert("i-1", T + 1_000, "old", true));
        archive("shard-1", upsert("i-1", T + 1_000, "old", true));
        // i-2: deleted; a late (older) upsert must not bring it back.
        archive("shard-0", upsert("i-2", T + 1_000, "x", true), CatalogItem.delete("i-2", T + 5_000));
        archive("shard-1", upsert("i-2", T + 3_000, "x", true));
        // i-3: live but unavailable.
        archive("shard-0", upsert("i-3", T, "y", false));
        // A record the consumer would dead-letter (hand-written: EventJson only writes valid ones).
        bucket.archiveLines("shard-2", "{\"record_type\":\"item\",\"operation\":\"rename\",\"item_id\":\"i-9\",\"updated_at\":1}");

        PreparationManifest.Catalog c = new CatalogPreparation(spark, CatalogKind.ITEMS).run(bucket.config("run-1"));

        assertThat(c.read()).isEqualTo(8);
        assertThat(c.dropped()).containsExactly(Map.entry("invalid_operation", 1L));
        assertThat(c.accepted()).isEqualTo(7);
        assertThat(c.live()).isEqualTo(2);
        assertThat(c.deleted()).isEqualTo(1);
        assertThat(c.unavailable()).isEqualTo(1);
        assertThat(c.csvPrefix()).isEqualTo("prepared/run-1/items/");
        Map<String, List<String>> rows = bucket.rows("run-1", CatalogKind.ITEMS);
        assertThat(rows.keySet()).containsExactlyInAnyOrder("i-1", "i-3");
        assertThat(rows.get("i-1")).isEqualTo(ItemsDataset.row(upsert("i-1", T + 2_000, "new", true)));
        assertThat(rows.get("i-3").get(ItemsDataset.COLUMNS.indexOf(ItemsDataset.AVAILABLE))).isEqualTo("false");
    }

    @Test
    void bulkFilesInJsonLinesAndCsvJoinTheStreamOrderedByTheirTimeOrTheFilesTime() throws IOException {
        archive("shard-0", upsert("i-1", T + 1_000, "stream", true), upsert("i-2", T + 1_000, "stream", true));
        // JSON Lines without record_type, operation or updated_at: an upsert as of the file's modification time.
        Path jsonl = bucket.bulk("catalog/2026-03-01/items.jsonl",
                "{\"item_id\":\"i-1\",\"category\":\"bulk\",\"creation_timestamp\":" + T + ",\"available\":true}",
                "",
                "{\"item_id\":\"i-4\",\"creation_timestamp\":" + T + ",\"available\":true,\"price\":\"free\"}");
        Files.setLastModifiedTime(jsonl, FileTime.fromMillis(T + 9_000));
        // CSV with the record's field names; this file is older than the stream's i-2, so the stream's version stays.
        Path csv = bucket.bulk("catalog/items.csv",
                "item_id,category,brand,genres,price,creation_timestamp,available",
                "i-2,bulk,acme,a|b,12.25," + T + ",true",
                "i-5,bulk,,,," + T + ",false",
                "i-6,bulk,,,," + T + ",maybe");
        Files.setLastModifiedTime(csv, FileTime.fromMillis(T + 500));

        PreparationManifest.Catalog c = new CatalogPreparation(spark, CatalogKind.ITEMS).run(bucket.config("run-2"));

        assertThat(c.files()).isEqualTo(3);
        assertThat(c.dropped()).containsOnlyKeys("wrong_type").containsEntry("wrong_type", 2L); // i-4's price, i-6's flag
        Map<String, List<String>> rows = bucket.rows("run-2", CatalogKind.ITEMS);
        assertThat(rows.keySet()).containsExactlyInAnyOrder("i-1", "i-2", "i-5");
        int category = ItemsDataset.COLUMNS.indexOf(ItemsDataset.CATEGORY);
        assertThat(rows.get("i-1").get(category)).as("the newer bulk file wins").isEqualTo("bulk");
        assertThat(rows.get("i-2").get(category)).as("the newer stream record wins").isEqualTo("stream");
        assertThat(rows.get("i-5")).containsExactly("i-5", "bulk", "", "", "", "false", String.valueOf(T / 1000));
    }

    @Test
    void noCatalogIsNoItemsDatasetAndNotAnError() {
        PreparationManifest.Catalog c = new CatalogPreparation(spark, CatalogKind.ITEMS).run(bucket.config("run-3"));
        assertThat(c.files()).isZero();
        assertThat(c.csvPrefix()).isNull();
        assertThat(dir.resolve("prepared/run-3/items")).doesNotExist();
    }

    @Test
    void onlyDeletedItemsWriteNoCsv() throws IOException {
        archive("shard-0", upsert("i-1", T, "x", true), CatalogItem.delete("i-1", T + 1));
        PreparationManifest.Catalog c = new CatalogPreparation(spark, CatalogKind.ITEMS).run(bucket.config("run-4"));
        assertThat(c.live()).isZero();
        assertThat(c.deleted()).isEqualTo(1);
        assertThat(c.csvPrefix()).isNull();
    }

    private void archive(String shard, CatalogItem... items) throws IOException {
        List<String> lines = new ArrayList<>();
        for (CatalogItem i : items) lines.add(EventJson.toJson(i));
        bucket.archiveLines(shard, lines.toArray(String[]::new));
    }
}
