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

  # ---- failure handling: retries, catches, time limits ----
  # Every Task (top level and inside the Map iterations) retries transient errors and has a time limit of its own.
  assert {
    condition = alltrue([for st in concat(
      [for n, x in jsondecode(aws_sfn_state_machine.training.definition).States : x],
      flatten([for n, x in jsondecode(aws_sfn_state_machine.training.definition).States : [for n2, y in try(x.ItemProcessor.States, x.Iterator.States, {}) : y]]),
      ) : st.Type != "Task" || (length(try(st.Retry, [])) > 0 && alltrue([for r in try(st.Retry, []) : length(r.ErrorEquals) > 0 && try(r.MaxAttempts, 3) >= 1]) &&
    (try(st.TimeoutSeconds, 0) > 0 || can(st.TimeoutSecondsPath)))])
    error_message = "Every Task state (also inside the Map iterations) must have a Retry and a TimeoutSeconds."
  }

  # Every Personalize wait loop is bounded: its Choice compares the checks made with the limit the task answered and
  # sends a hung job to <Stage>Timeout (notified through NotifyFailure; training-lambda's PipelineExecutionTest runs it).
  assert {
    condition = (alltrue([for e in ["ResourcesTimeout", "ImportTimeout", "TrainingTimeout", "CampaignTimeout"] :
      strcontains(aws_sfn_state_machine.training.definition, "\"${e}\"")]) &&
    length(regexall("\"NumericGreaterThanEqualsPath\"\\s*:\\s*\"\\$[.a-zA-Z]*maxChecks\"", aws_sfn_state_machine.training.definition)) == 4)
    error_message = "Each of the four wait loops (resources, import, training, campaign) must end at its limit of status checks with <Stage>Timeout."
  }

  # The whole execution is bounded, and at least one Task exists to check (the definition is not empty).
  assert {
    condition = (try(jsondecode(aws_sfn_state_machine.training.definition).TimeoutSeconds, 0) > 0 &&
    length([for n, x in jsondecode(aws_sfn_state_machine.training.definition).States : n if x.Type == "Task"]) >= 5)
    error_message = "The state machine must have a TimeoutSeconds of its own (a stuck Personalize job must not run forever)."
  }

  # Every top-level Task and Map that does work (all but the notifications, which are the failure path) catches
  # States.ALL, and every Catch leads to a state of the definition: the failure path (a Fail state, directly or after
  # one notification) or a documented degradation (a Pass state, e.g. an undecided experiment).
  assert {
    condition = alltrue([for n, x in jsondecode(aws_sfn_state_machine.training.definition).States :
      !contains(["Task", "Map"], x.Type) || try(x.Resource, "") == "arn:aws:states:::sns:publish" || anytrue([for c in try(x.Catch, []) : contains(c.ErrorEquals, "States.ALL")])
    ])
    error_message = "Every top-level Task and Map state (but the SNS notifications) must catch States.ALL."
  }

  assert {
    condition = alltrue(flatten([for n, x in jsondecode(aws_sfn_state_machine.training.definition).States : [for c in try(x.Catch, []) :
      jsondecode(aws_sfn_state_machine.training.definition).States[c.Next].Type == "Fail" || jsondecode(aws_sfn_state_machine.training.definition).States[c.Next].Type == "Pass" ||
      jsondecode(aws_sfn_state_machine.training.definition).States[try(jsondecode(aws_sfn_state_machine.training.definition).States[c.Next].Next, c.Next)].Type == "Fail"
    ]])) && length(flatten([for n, x in jsondecode(aws_sfn_state_machine.training.definition).States : try(x.Catch, [])])) >= 5
    error_message = "Every Catch must route to the failure path (a Fail state, or a notification followed by one) or to a Pass state."
  }
}
