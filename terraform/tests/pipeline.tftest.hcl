# The REAL state machine template (training-lambda/src/main/resources/statemachine/…), rendered
# exactly as Terraform deploys it: valid JSON, no placeholder left, and every function, job and
# topic it names is one this stack creates. Needs the training-lambda sources (not the build).

mock_provider "aws" {
  source = "./tests/mocks"
}

# Shared fixtures: tests/terraform.tfvars; here the ASL is the real template.
variables {
  name              = "recsys"
  region            = "eu-west-1"
  asl_template_path = "../training-lambda/src/main/resources/statemachine/training-pipeline.asl.json"
  settings          = { variants = var.variants, variant_weights = var.variant_weights, experiment = { id = "recs-ab-7" } }
}

run "real_asl_renders" {
  command = apply

  module {
    source = "./modules/training"
  }

  assert {
    condition     = can(jsondecode(aws_sfn_state_machine.training.definition).StartAt) && !strcontains(aws_sfn_state_machine.training.definition, "$${")
    error_message = "The ASL template must render to a JSON state machine with every placeholder filled."
  }

  # Lambda tasks (direct ARN or lambda:invoke FunctionName) call only the training function.
  assert {
    condition = alltrue([
      for f in concat(
        regexall("\"FunctionName\"\\s*:\\s*\"([^\"]+)\"", aws_sfn_state_machine.training.definition),
        regexall("\"Resource\"\\s*:\\s*\"(arn:aws:lambda:[^\"]+)\"", aws_sfn_state_machine.training.definition),
      ) : contains([output.training_function_arn, "${output.training_function_arn}:$LATEST"], f[0])
    ])
    error_message = "Every Lambda the pipeline calls must be the training function Terraform creates."
  }

  assert {
    condition     = alltrue([for j in regexall("\"JobName\"\\s*:\\s*\"([^\"]+)\"", aws_sfn_state_machine.training.definition) : j[0] == aws_glue_job.prepare.name])
    error_message = "Every Glue job the pipeline starts must be the one Terraform creates."
  }

  assert {
    condition     = alltrue([for t in regexall("\"TopicArn\"\\s*:\\s*\"([^\"]+)\"", aws_sfn_state_machine.training.definition) : t[0] == var.sns_topic_arn])
    error_message = "Every SNS topic the pipeline publishes to must be the stack's topic."
  }

  assert {
    condition     = length(regexall("\"FunctionName\"\\s*:\\s*\"[^\"]+\"", aws_sfn_state_machine.training.definition)) + length(regexall("\"Resource\"\\s*:\\s*\"arn:aws:lambda:", aws_sfn_state_machine.training.definition)) > 0 && length(regexall("\"TopicArn\"", aws_sfn_state_machine.training.definition)) > 0
    error_message = "The pipeline is expected to call the training function and notify the topic."
  }

  # Every Task resource is an integration the role grants (lambda, glue, sns) or the function.
  assert {
    condition = alltrue([
      for r in regexall("\"Resource\"\\s*:\\s*\"([^\"]+)\"", aws_sfn_state_machine.training.definition) :
      contains(["arn:aws:states:::lambda:invoke", "arn:aws:states:::glue:startJobRun.sync", "arn:aws:states:::glue:startJobRun", "arn:aws:states:::sns:publish", output.training_function_arn], r[0])
    ])
    error_message = "A Task uses an integration the Step Functions role does not grant."
  }
}
