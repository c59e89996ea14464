package dev.recsys.gatling;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Every package of this module (each one a slice, the root too) depends on the others one way only. */
@AnalyzeClasses(packages = "dev.recsys.gatling")
class PackageCyclesTest {

    @ArchTest
    static final ArchRule packagesFormNoCycles = slices().matching("dev.recsys.(**)").should().beFreeOfCycles();
}
