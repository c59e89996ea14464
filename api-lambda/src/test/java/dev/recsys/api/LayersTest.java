package dev.recsys.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The API's layers: the Lambda handler → HTTP routing → core ← adapters, wired in {@link ApiApplication}.
 * The core defines the ports it needs; adapters implement them and never reach up into HTTP or the handler.
 */
@AnalyzeClasses(packages = "dev.recsys.api", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    private static final String[] ADAPTERS = {"..api.ab..", "..api.aws..", "..api.cache..", "..api.experiments..",
            "..api.exposure..", "..api.fallback..", "..api.history..", "..api.metrics..", "..api.personalize..",
            "..api.published..", "..api.resilience.."};

    @ArchTest
    static final ArchRule coreIsPlainJava = classes().that().resideInAPackage("..api.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("..api.core..", "dev.recsys.common..", "java..",
                    "com.fasterxml.jackson.annotation..")
            .because("the core defines ports; adapters, HTTP and the handler depend on it, never the reverse");

    @ArchTest
    static final ArchRule adaptersDoNotReachUp = noClasses().that().resideInAnyPackage(ADAPTERS)
            .should().dependOnClassesThat().resideInAnyPackage("..api.http..", "..api.lambda..", "..api.config..", "dev.recsys.api")
            .because("adapters implement the core's ports; only ApiApplication wires them to the routes");

    @ArchTest
    static final ArchRule httpKnowsOnlyTheCore = noClasses().that().resideInAPackage("..api.http..")
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
            .orShould().dependOnClassesThat().resideInAnyPackage("..api.lambda..", "..api.config..", "dev.recsys.api")
            .because("routing talks to the core's service and ports; the handler sits on top of it");
}
