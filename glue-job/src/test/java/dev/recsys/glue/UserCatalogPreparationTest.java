package dev.recsys.glue;

import static dev.recsys.glue.CatalogBucket.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Users dataset from the stream's archived user records and bulk files, in Spark local mode on a file:// bucket. */
class UserCatalogPreparationTest {

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
        bucket = new CatalogBucket(dir, S3Layout::rawUserObjectKey);
    }

    @Test
    void theLatestRecordOfEachUserWinsAcrossStreamAndBulkFilesAndDeletedUsersStayOut() throws IOException {
        // u-1: superseded by a later upsert archived first, and the older one replayed on another shard.
        archive("shard-0", CatalogUser.upsert("u-1", T + 2_000, "heavy", "plus", 31),
                CatalogUser.upsert("u-1", T + 1_000, "casual", "free", 30));
        archive("shard-1", CatalogUser.upsert("u-1", T + 1_000, "casual", "free", 30));
        // u-2: deleted; a late (older) upsert must not bring it back.
        archive("shard-0", CatalogUser.upsert("u-2", T + 1_000, "casual", null, null), CatalogUser.delete("u-2", T + 5_000));
        archive("shard-1", CatalogUser.upsert("u-2", T + 3_000, "heavy", null, null));
        // u-3 is replaced by the newer JSON Lines file, u-10 deleted by the CSV file.
        archive("shard-0", CatalogUser.upsert("u-3", T + 1_000, "stream", null, 20),
                CatalogUser.upsert("u-10", T + 1_000, "stream", null, null));
        // A valid record of another kind where user records are archived.
        bucket.archiveLines("shard-2", "{\"record_type\":\"item\",\"operation\":\"delete\",\"item_id\":\"i-1\",\"updated_at\":" + T + "}");
        // JSON Lines without record_type, operation or updated_at: an upsert as of the file's modification time.
        Path jsonl = bucket.bulk("users/2026-03-01/users.jsonl",
                "{\"user_id\":\"u-3\",\"segment\":\"bulk\",\"age\":44}",
                "",
                "{\"user_id\":\"u-5\",\"segment\":\"bulk\",\"nickname\":\"bob\"}",
                "{\"user_id\":\"u-6\",\"age\":\"forty\"}");
        Files.setLastModifiedTime(jsonl, FileTime.fromMillis(T + 9_000));
        // CSV with the record's field names: ages become numbers, empty cells are absent, a row may be a delete.
        Path csv = bucket.bulk("users/users.csv",
                "user_id,operation,updated_at,segment,membership,age",
                "u-4,,,csv,plus,27",
                "u-7,,,,,",
                "u-8,,,csv,,200",
                "u-9,,,csv,,3.5",
                "u-10,delete," + (T + 4_000) + ",,,");
        Files.setLastModifiedTime(csv, FileTime.fromMillis(T + 500));

        PreparationManifest.Catalog c = new CatalogPreparation(spark, CatalogKind.USERS).run(bucket.config("run-1"));

        assertThat(c.files()).isEqualTo(8); // 6 archived objects + 2 bulk files
        assertThat(c.read()).isEqualTo(17); // 9 archived + 3 JSON Lines (the blank one is no record) + 5 CSV rows
        assertThat(c.dropped()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "invalid_field_value", 1L, // u-8's age 200
                "not_a_user_record", 1L,   // the item record
                "unknown_field", 1L,       // u-5's nickname
                "wrong_type", 2L));        // u-6's "forty", u-9's 3.5
        assertThat(c.accepted()).isEqualTo(12);
        assertThat(c.live()).isEqualTo(4);
        assertThat(c.deleted()).isEqualTo(2);
        assertThat(c.unavailable()).isZero();
        assertThat(c.csvPrefix()).isEqualTo("prepared/run-1/users/");
        List<String> lines = bucket.csv("run-1", CatalogKind.USERS);
        assertThat(lines.get(0)).isEqualTo("USER_ID,SEGMENT,MEMBERSHIP,AGE");
        assertThat(lines.subList(1, lines.size())).containsExactlyInAnyOrder(
                "u-1,heavy,plus,31",
                "u-3,bulk,,44",
                "u-4,csv,plus,27",
                "u-7,,,");
    }

    @Test
    void noUsersIsNoUsersDatasetAndNotAnError() throws IOException {
        // Items alone: the users' side reads only its own prefixes.
        new CatalogBucket(dir, S3Layout::rawItemObjectKey).archiveLines("shard-0",
                "{\"record_type\":\"item\",\"operation\":\"delete\",\"item_id\":\"i-1\",\"updated_at\":1}");
        PreparationManifest.Catalog c = new CatalogPreparation(spark, CatalogKind.USERS).run(bucket.config("run-2"));
        assertThat(c.files()).isZero();
        assertThat(c.read()).isZero();
        assertThat(c.csvPrefix()).isNull();
        assertThat(dir.resolve("prepared/run-2/users")).doesNotExist();
    }

    @Test
    void onlyDeletedUsersWriteNoFiles() throws IOException {
        archive("shard-0", CatalogUser.upsert("u-1", T, "casual", "free", 30), CatalogUser.delete("u-1", T + 1));
        PreparationManifest.Catalog c = new CatalogPreparation(spark, CatalogKind.USERS).run(bucket.config("run-3"));
        assertThat(c.accepted()).isEqualTo(2);
        assertThat(c.live()).isZero();
        assertThat(c.deleted()).isEqualTo(1);
        assertThat(c.csvPrefix()).isNull();
        assertThat(dir.resolve("prepared")).doesNotExist();
    }

    private void archive(String shard, CatalogUser... users) throws IOException {
        bucket.archiveLines(shard, Stream.of(users).map(EventJson::toJson).toArray(String[]::new));
    }
}
