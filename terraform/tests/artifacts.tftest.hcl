# After the Maven build: the root module plans with the REAL artefact paths (their variable
# validations call fileexists), and each path is checked explicitly, including what Jib packs
# into the consumer image.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  environment = "prod"
  consumer    = { image_tag = "1.0.0" }
  api         = { fallback_static_items = ["item-1"], auth = { callback_urls = ["https://app.example.com/callback"] } }
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

# A zero-byte or truncated jar exists too: each must be a zip (a jar starts with "PK\x03\x04", base64 "UEsD") of a
# plausible size. The shaded Lambda jars carry the AWS SDK (tens of MB); the Glue jar only the job's classes.
run "artefacts_are_plausible_jars" {
  command = plan

  assert {
    condition = alltrue([for p, min in {
      "../api-lambda/target/api-lambda-${var.artifacts.version}-lambda.jar"           = 1048576
      "../training-lambda/target/training-lambda-${var.artifacts.version}-lambda.jar" = 1048576
      "../glue-job/target/glue-job-${var.artifacts.version}-glue.jar"                 = 16384
    } : fileexists(p) && startswith(filebase64(p), "UEsD") && length(filebase64(p)) * 3 / 4 > min])
    error_message = "A jar is empty, truncated or not a jar (Lambda jars must exceed 1 MiB, the Glue jar 16 KiB): rebuild (./mvnw -B install)."
  }
}
