# The example tfvars (examples/*.tfvars, passed with -var-file by scripts/test.sh) pass every
# validation and apply against the mocked provider. Jars and Glue script are fixtures here (`artifacts`
# in tests/terraform.tfvars); artifacts.tftest.hcl checks the real ones.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "example" {
  command = apply

  assert {
    condition     = output.stream_name == "${var.name}-interactions" && length(output.alarms_by_component) == 6
    error_message = "The example names its resources after its prefix and alarms on every component."
  }

  assert {
    condition     = length(output.api_key_ids) == length(var.api.clients)
    error_message = "One API key per configured client."
  }

  assert {
    condition = (output.app_environment.api_lambda.RECSYS_EXPERIMENT == var.experiment.id && output.app_environment.training_lambda.EXPERIMENT_ID == var.experiment.id &&
    output.app_environment.training_lambda.EXPERIMENT_POLICY == var.experiment.policy && output.app_environment.kcl_consumer.EXPERIMENT_MIN_USERS == tostring(var.experiment.min_users))
    error_message = "The example's experiment reaches the API, the consumer and the pipeline."
  }
}
