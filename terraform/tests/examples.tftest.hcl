# The example tfvars (examples/*.tfvars, passed with -var-file by scripts/test.sh) pass every
# validation and apply against the mocked provider. Jars and Glue script are fixtures here;
# artifacts.tftest.hcl checks the real ones.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  artifact_overrides = {
    api_lambda      = "tests/fixtures/placeholder.jar"
    training_lambda = "tests/fixtures/placeholder.jar"
    glue_job        = "tests/fixtures/placeholder.jar"
    glue_script     = "tests/fixtures/placeholder.jar"
  }
  asl_template_path = "tests/fixtures/pipeline.asl.json"
}

run "example" {
  command = apply

  assert {
    condition     = output.stream_name == "${var.name}-interactions" && length(output.alarms_by_component) == 6
    error_message = "The example names its resources after its prefix and alarms on every component."
  }

  assert {
    condition     = length(output.api_key_ids) == length(var.api_clients)
    error_message = "One API key per configured client."
  }

  assert {
    condition = (output.app_environment.api_lambda.RECSYS_EXPERIMENT == var.experiment_id && output.app_environment.training_lambda.EXPERIMENT_ID == var.experiment_id &&
    output.app_environment.training_lambda.EXPERIMENT_POLICY == var.experiment_policy && output.app_environment.kcl_consumer.EXPERIMENT_MIN_USERS == tostring(var.experiment_min_users))
    error_message = "The example's experiment reaches the API, the consumer and the pipeline."
  }
}
