# The state machine is rendered from the very ASL file the offline runner executes; only the
# placeholders differ (real ARNs here, local ones offline). templatefile() fails the plan if the
# template asks for a value not offered here.

locals {
  asl_vars = {
    training_function_arn = module.function.arn
    glue_job_name         = aws_glue_job.prepare.name
    sns_topic_arn         = var.sns_topic_arn
    data_bucket           = var.bucket.name
    window_hours          = var.settings.glue_window_hours
    include_event_value   = tostring(var.settings.include_event_value)
    partition             = var.partition
  }

  definition = templatefile(var.asl_template_path, local.asl_vars)
}

resource "aws_cloudwatch_log_group" "pipeline" {
  # /aws/vendedlogs/ keeps the log resource policy Step Functions needs small.
  name              = "/aws/vendedlogs/states/${var.name}-training"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

locals {
  states_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeTrainingTasks"
        Effect   = "Allow"
        Action   = "lambda:InvokeFunction"
        Resource = [module.function.arn, "${module.function.arn}:*"]
      },
      {
        Sid      = "RunPreparation"
        Effect   = "Allow"
        Action   = ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]
        Resource = aws_glue_job.prepare.arn
      },
      {
        Sid      = "Notify"
        Effect   = "Allow"
        Action   = "sns:Publish"
        Resource = var.sns_topic_arn
      },
      {
        # The key through SNS (the encrypted topic) and Step Functions (the state machine's own encryption).
        Sid       = "EncryptedTopic"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = ["sns.${var.region}.amazonaws.com", "states.${var.region}.amazonaws.com"] } }
      },
      {
        # CloudWatch Logs delivery for Step Functions: these APIs have no resource-level
        # permissions (AWS documents "*" as the only valid resource).
        Sid    = "LogDelivery"
        Effect = "Allow"
        Action = [
          "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
        ]
        Resource = "*"
      },
      {
        # X-Ray trace ingestion and sampling have no resource-level permissions.
        Sid      = "Tracing"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role" "states" {
  name_prefix        = "${var.name}-pipeline-"
  assume_role_policy = local.service_trust["states"]
}

resource "aws_iam_role_policy" "states" {
  name   = "training-pipeline"
  role   = aws_iam_role.states.id
  policy = local.states_policy
}

resource "aws_sfn_state_machine" "training" {
  name       = "${var.name}-training"
  role_arn   = aws_iam_role.states.arn
  type       = "STANDARD"
  definition = local.definition

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.pipeline.arn}:*"
    include_execution_data = false
    level                  = "ERROR"
  }

  tracing_configuration {
    enabled = true
  }

  encryption_configuration {
    type                              = "CUSTOMER_MANAGED_KMS_KEY"
    kms_key_id                        = var.kms_key_arn
    kms_data_key_reuse_period_seconds = 300
  }

  depends_on = [aws_iam_role_policy.states]
}

# ---- Schedule -----------------------------------------------------------------------------------

locals {
  scheduler_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "StartTraining"
        Effect   = "Allow"
        Action   = "states:StartExecution"
        Resource = aws_sfn_state_machine.training.arn
      },
      {
        # Starting an execution of the encrypted state machine: the key through Step Functions only.
        Sid       = "EncryptedStateMachine"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "states.${var.region}.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_iam_role" "scheduler" {
  name_prefix        = "${var.name}-schedule-"
  assume_role_policy = local.service_trust["scheduler"]
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "start-training"
  role   = aws_iam_role.scheduler.id
  policy = local.scheduler_policy
}

resource "aws_scheduler_schedule" "training" {
  name                = "${var.name}-training"
  description         = "Starts the training pipeline"
  schedule_expression = var.settings.schedule_expression
  kms_key_arn         = var.kms_key_arn

  flexible_time_window {
    mode                      = "FLEXIBLE"
    maximum_window_in_minutes = 15
  }

  target {
    arn      = aws_sfn_state_machine.training.arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ trigger = "schedule" })

    retry_policy {
      maximum_retry_attempts       = 3
      maximum_event_age_in_seconds = 3600
    }
  }
}

# ---- Executions that end without running a state: timed out, aborted (and every failure) -> SNS ------------------
# The state machine's TimeoutSeconds ends an execution without running any state, so NotifyFailure never runs for a
# timed-out (or aborted) run: EventBridge's "Execution Status Change" event of the training state machine does reach
# the topic, as a readable line. FAILED is matched too: a failure the pipeline caught has already sent its own message
# with the cause (NotifyFailure), this one also covers a run that failed before or inside its failure path.
# EventBridge publishes with a role of its own (IAM execution roles for SNS targets), so the topic policy
# (modules/monitoring) and the key policy (modules/security) need no statement for it.

locals {
  execution_ended_statuses = ["TIMED_OUT", "ABORTED", "FAILED"]

  execution_ended_pattern = jsonencode({
    source      = ["aws.states"]
    detail-type = ["Step Functions Execution Status Change"]
    detail = {
      stateMachineArn = [aws_sfn_state_machine.training.arn]
      status          = local.execution_ended_statuses
    }
  })

  events_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "NotifyExecutionEnded"
        Effect   = "Allow"
        Action   = "sns:Publish"
        Resource = var.sns_topic_arn
      },
      {
        Sid       = "EncryptedTopic"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "sns.${var.region}.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_cloudwatch_event_rule" "execution_ended" {
  name          = "${var.name}-training-ended"
  description   = "Training executions that timed out, were aborted or failed: to the alerts topic"
  event_pattern = local.execution_ended_pattern
}

resource "aws_iam_role" "events" {
  name_prefix        = "${var.name}-training-events-"
  assume_role_policy = local.service_trust["events"]
}

resource "aws_iam_role_policy" "events" {
  name   = "notify-execution-ended"
  role   = aws_iam_role.events.id
  policy = local.events_policy
}

resource "aws_cloudwatch_event_target" "execution_ended" {
  rule      = aws_cloudwatch_event_rule.execution_ended.name
  target_id = "notify"
  arn       = var.sns_topic_arn
  role_arn  = aws_iam_role.events.arn

  input_transformer {
    input_paths = {
      name   = "$.detail.name"
      status = "$.detail.status"
      arn    = "$.detail.executionArn"
      time   = "$.time"
    }
    # A JSON string: SNS receives it as the message text.
    input_template = "\"recsys training run <name> ended <status> at <time> (execution <arn>). TIMED_OUT and ABORTED runs ran no notification state: this is the only message about them; a run the pipeline failed itself also sent 'recsys training run failed' with the cause. Campaigns the run had not updated keep serving their current versions.\""
  }

  depends_on = [aws_iam_role_policy.events]
}
