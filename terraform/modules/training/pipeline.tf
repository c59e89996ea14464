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
  states_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

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
        Sid      = "EncryptedTopic"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = var.kms_key_arn
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
  assume_role_policy = local.states_trust
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
  scheduler_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

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
        Sid      = "EncryptedStateMachine"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = var.kms_key_arn
      },
    ]
  })
}

resource "aws_iam_role" "scheduler" {
  name_prefix        = "${var.name}-schedule-"
  assume_role_policy = local.scheduler_trust
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
