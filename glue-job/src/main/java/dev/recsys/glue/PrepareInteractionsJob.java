package dev.recsys.glue;

import dev.recsys.common.pipeline.PreparationManifest;
import java.time.Instant;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point. On Glue the Scala shim {@code GlueApp} (src/main/glue/GlueApp.scala) calls
 * {@link #main}; locally a child JVM runs this class with {@code --spark-master local[2]}.
 * A failure is an exception: Glue marks the run FAILED with its message, a local JVM exits non-zero.
 */
public final class PrepareInteractionsJob {

    private PrepareInteractionsJob() {}

    public static void main(String[] args) {
        JobArguments arguments = JobArguments.parse(args);
        PrepareConfig config = PrepareConfig.fromArguments(arguments, Instant.now());
        SparkSession spark = session(arguments.get("spark-master").orElse(null), config.s3Endpoint());
        try {
            PreparationManifest.Catalog items = catalog(spark, config, CatalogKind.ITEMS);
            PreparationManifest.Catalog users = catalog(spark, config, CatalogKind.USERS);
            PreparationManifest m = new InteractionPreparation(spark).run(config, items, users);
            System.out.printf("prepared run %s: read=%d duplicates=%d dropped=%d written=%d users=%d items=%d"
                            + " with_impressions=%d -> %s%n", m.runId(), m.read(), m.duplicates(), m.droppedTotal(),
                    m.written(), m.users(), m.items(), m.withImpressions(), m.csvPrefix());
        } finally {
            if (arguments.get("spark-master").isPresent()) spark.stop(); // Glue owns its own context
        }
    }

    /** One kind's dataset, and its summary line in the job's log. */
    private static PreparationManifest.Catalog catalog(SparkSession spark, PrepareConfig config, CatalogKind kind) {
        PreparationManifest.Catalog c = new CatalogPreparation(spark, kind).run(config);
        System.out.printf("%s catalog: files=%d read=%d dropped=%d accepted=%d live=%d deleted=%d unavailable=%d -> %s%n", kind.dataset(),
                c.files(), c.read(), c.dropped().values().stream().mapToLong(Long::longValue).sum(), c.accepted(), c.live(), c.deleted(),
                c.unavailable(), c.csvPrefix());
        return c;
    }

    /** @param master {@code local[n]} for local runs, null on Glue; @param s3Endpoint S3A override, null on AWS */
    static SparkSession session(String master, String s3Endpoint) {
        SparkConf conf = new SparkConf().setAppName("recsys-prepare-interactions")
                // Personalize imports every object under the prefix: no _SUCCESS marker next to the CSV.
                .set("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
        if (master != null) {
            conf.setMaster(master)
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "4");
        }
        if (s3Endpoint != null) {
            // Local S3 (S3Proxy): path-style, plain HTTP; credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
            conf.set("spark.hadoop.fs.s3a.endpoint", s3Endpoint)
                    .set("spark.hadoop.fs.s3a.path.style.access", "true")
                    .set("spark.hadoop.fs.s3a.connection.ssl.enabled", String.valueOf(s3Endpoint.startsWith("https")))
                    .set("spark.hadoop.fs.s3a.aws.credentials.provider",
                            "com.amazonaws.auth.EnvironmentVariableCredentialsProvider")
                    .set("spark.hadoop.fs.s3a.change.detection.mode", "none");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
