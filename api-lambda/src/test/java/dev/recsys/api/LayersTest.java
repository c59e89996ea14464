package dev.recsys.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Arrays;

/**
 * The API's layers: the Lambda handler → HTTP routing → core ← adapters, wired in {@link ApiApplication}.
 * The core defines the ports it needs; adapters implement them and never reach up into HTTP or the handler.
 */
@AnalyzeClasses(packages = "dev.recsys.api", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    private static final String[] ADAPTERS = {"..api.ab..", "..api.aws..", "..api.cache..", "..api.catalog..", "..api.experiments..",
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

    @ArchTest
    static final ArchRule onlyTheWiringAndTheHandlerSeeEverything = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Handler").definedBy("..api.lambda..")
            .layer("Wiring").definedBy("dev.recsys.api")
            .layer("Config").definedBy("..api.config..")
            .layer("Http").definedBy("..api.http..")
            .layer("Adapters").definedBy(ADAPTERS)
            .layer("Core").definedBy("..api.core..")
            .layer("Json").definedBy("..api.json..")
            .whereLayer("Handler").mayNotBeAccessedByAnyLayer()
            .whereLayer("Wiring").mayOnlyBeAccessedByLayers("Handler")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Wiring", "Handler")
            .whereLayer("Http").mayOnlyBeAccessedByLayers("Wiring", "Handler", "Config")
            .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Wiring", "Handler", "Config")
            .whereLayer("Json").mayOnlyBeAccessedByLayers("Wiring", "Handler", "Config", "Http", "Adapters");

    @ArchTest
    static final ArchRule adaptersDoNotKnowEachOther = CompositeArchRule.of(Arrays.stream(ADAPTERS)
            .map(adapter -> noClasses().that().resideInAPackage(adapter).should().dependOnClassesThat()
                    .resideInAnyPackage(Arrays.stream(ADAPTERS).filter(other -> !other.equals(adapter)).toArray(String[]::new))
                    .because("each adapter implements core ports on its own; ApiApplication composes them"))
            .toList());
}
