# After the Maven build: the root module plans with the REAL artefact paths (their variable
# validations call fileexists), and each path is checked explicitly, including what Jib packs
# into the consumer image.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  environment = "prod"
  consumer    = { image_tag = "1.0.0" }
  api         = { fallback_static_items = ["item-1"] }
  # The real paths: no fixture overrides (tests/terraform.tfvars sets them for the other suites).
  artifacts = {}
}

run "artefacts_exist_after_maven_build" {
  command = plan

  assert {
    condition = alltrue([for p in [
      "../api-lambda/target/api-lambda-${var.artifacts.version}-lambda.jar",
      "../training-lambda/target/training-lambda-${var.artifacts.version}-lambda.jar",
      "../glue-job/target/glue-job-${var.artifacts.version}-glue.jar",
      "../glue-job/src/main/glue/GlueApp.scala",
      "../training-lambda/src/main/resources/statemachine/training-pipeline.asl.json",
      "../kcl-consumer/target/classes/dev/recsys/consumer/ConsumerApplication.class",
    ] : fileexists(p)])
    error_message = "A deployable artefact is missing: run the Maven build (./mvnw -B install) first."
  }
}
