package dev.recsys.consumer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The direction of the consumer's packages: the KCL shell (processor, lifecycle) → ingest → sink → record. The value
 * types know nothing; sinks know no ingest or KCL; only the shell and the wiring see the KCL. A wrong-way import fails here.
 */
@AnalyzeClasses(packages = "dev.recsys.consumer", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    @ArchTest
    static final ArchRule recordsDependOnNothingOfTheConsumer = noClasses().that().resideInAPackage("dev.recsys.consumer.record..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.recsys.consumer", "dev.recsys.consumer.attribution..",
                    "dev.recsys.consumer.aws..", "dev.recsys.consumer.config..", "dev.recsys.consumer.health..",
                    "dev.recsys.consumer.ingest..", "dev.recsys.consumer.lifecycle..", "dev.recsys.consumer.processor..",
                    "dev.recsys.consumer.realtime..", "dev.recsys.consumer.results..", "dev.recsys.consumer.sink..");

    @ArchTest
    static final ArchRule sinksKnowNoIngestOrShell = noClasses().that().resideInAPackage("dev.recsys.consumer.sink..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.recsys.consumer.ingest..", "dev.recsys.consumer.processor..",
                    "dev.recsys.consumer.lifecycle..", "dev.recsys.consumer.health..", "dev.recsys.consumer.realtime..",
                    "dev.recsys.consumer.results..");

    @ArchTest
    static final ArchRule ingestKnowsNoShell = noClasses().that().resideInAPackage("dev.recsys.consumer.ingest..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.recsys.consumer.processor..", "dev.recsys.consumer.lifecycle..",
                    "dev.recsys.consumer.health..", "dev.recsys.consumer.aws..");

    @ArchTest
    static final ArchRule onlyTheShellSeesTheKcl = noClasses().that().resideOutsideOfPackages("dev.recsys.consumer",
                    "dev.recsys.consumer.processor..", "dev.recsys.consumer.lifecycle..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.kinesis..");
}
