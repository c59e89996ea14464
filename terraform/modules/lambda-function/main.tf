# One Java Lambda function as this stack deploys it: the jar uploaded to the data bucket (KMS), a
# JSON-format log group with retention, an execution role whose inline policy is the caller's
# statements behind the ones every function needs (its own log group, VPC ENIs when it runs in a
# VPC, X-Ray), active tracing, and optionally a published SnapStart version behind an alias.

resource "aws_s3_object" "artifact" {
  bucket      = var.artifact.bucket
  key         = "${var.artifact.key_prefix}${basename(var.artifact.path)}"
  source      = var.artifact.path
  source_hash = filemd5(var.artifact.path)
  kms_key_id  = var.kms_key_arn
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

locals {
  trust_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "Logs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${aws_cloudwatch_log_group.this.arn}:*"
        },
      ],
      var.vpc == null ? [] : [
        {
          # Lambda manages the function's VPC ENIs with the execution role. Describe* has no
          # resource-level permissions and ENI ids are not known in advance, so "*" is the
          # narrowest resource (the same set as the AWSLambdaVPCAccessExecutionRole managed policy).
          Sid      = "VpcEnis"
          Effect   = "Allow"
          Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
          Resource = "*"
        },
      ],
      [
        {
          # X-Ray trace ingestion has no resource-level permissions.
          Sid      = "Tracing"
          Effect   = "Allow"
          Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
          Resource = "*"
        },
      ],
      var.policy_statements,
    )
  })
}

resource "aws_iam_role" "this" {
  name_prefix        = var.role_name_prefix
  assume_role_policy = local.trust_policy
}

resource "aws_iam_role_policy" "this" {
  name   = var.policy_name
  role   = aws_iam_role.this.id
  policy = local.policy
}

resource "aws_lambda_function" "this" {
  function_name     = var.function_name
  description       = var.description
  role              = aws_iam_role.this.arn
  runtime           = var.runtime
  handler           = var.handler
  architectures     = var.architectures
  memory_size       = var.memory_mb
  timeout           = var.timeout_seconds
  s3_bucket         = aws_s3_object.artifact.bucket
  s3_key            = aws_s3_object.artifact.key
  s3_object_version = aws_s3_object.artifact.version_id
  source_code_hash  = filebase64sha256(var.artifact.path)
  kms_key_arn       = var.kms_key_arn

  reserved_concurrent_executions = var.reserved_concurrency

  # SnapStart snapshots the initialised JVM of each published version: the alias then always
  # points at a published version, never at $LATEST.
  publish = var.snap_start || var.alias != null

  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "vpc_config" {
    for_each = var.vpc == null ? [] : [var.vpc]
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  # Environment variables are encrypted with kms_key_arn above.
  environment {
    variables = var.environment
  }

  depends_on = [aws_iam_role_policy.this]
}

resource "aws_lambda_alias" "this" {
  count            = var.alias == null ? 0 : 1
  name             = var.alias.name
  description      = var.alias.description
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}
