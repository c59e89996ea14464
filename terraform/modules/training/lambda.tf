resource "aws_s3_object" "training_jar" {
  bucket      = var.bucket.name
  key         = "artifacts/training-lambda/${basename(var.training_jar_path)}"
  source      = var.training_jar_path
  source_hash = filemd5(var.training_jar_path)
  kms_key_id  = var.kms_key_arn
}

resource "aws_cloudwatch_log_group" "training" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

locals {
  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  training_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.training.arn}:*"
      },
      {
        # X-Ray trace ingestion has no resource-level permissions.
        Sid      = "Tracing"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = "*"
      },
      {
        Sid    = "PersonalizeOrchestration"
        Effect = "Allow"
        Action = [
          "personalize:CreateDatasetGroup", "personalize:DescribeDatasetGroup",
          "personalize:CreateSchema",
          "personalize:CreateDataset", "personalize:DescribeDataset",
          "personalize:CreateDatasetImportJob", "personalize:DescribeDatasetImportJob",
          "personalize:CreateSolution", "personalize:DescribeSolution",
          "personalize:CreateSolutionVersion", "personalize:DescribeSolutionVersion", "personalize:GetSolutionMetrics",
          "personalize:CreateCampaign", "personalize:DescribeCampaign", "personalize:UpdateCampaign",
          "personalize:CreateEventTracker", "personalize:DescribeEventTracker",
        ]
        Resource = local.personalize_resources
      },
      {
        # Personalize's List* calls (used to find existing resources by name) have no
        # resource-level permissions.
        Sid    = "PersonalizeLookups"
        Effect = "Allow"
        Action = [
          "personalize:ListDatasetGroups", "personalize:ListSchemas", "personalize:ListDatasets",
          "personalize:ListDatasetImportJobs", "personalize:ListSolutions", "personalize:ListSolutionVersions",
          "personalize:ListCampaigns", "personalize:ListEventTrackers",
        ]
        Resource = "*"
      },
      {
        Sid       = "PassRoleToPersonalize"
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = aws_iam_role.personalize.arn
        Condition = { StringEquals = { "iam:PassedToService" = "personalize.amazonaws.com" } }
      },
      {
        Sid       = "ListPreparedAndConfig"
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = var.bucket.arn
        Condition = { StringLike = { "s3:prefix" = ["prepared/*", "config/*"] } }
      },
      {
        Sid      = "ReadManifests"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${var.bucket.arn}/prepared/*"
      },
      {
        Sid      = "PublishFallback"
        Effect   = "Allow"
        Action   = "s3:PutObject"
        Resource = "${var.bucket.arn}/${var.published_keys.fallback_list}"
      },
      {
        # The decision step reads the split being served and publishes the next one.
        Sid      = "ExperimentSplit"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${var.bucket.arn}/${var.published_keys.experiment_split}"
      },
      {
        # The decision step reads the experiment's results (a strongly consistent Query per route).
        Sid      = "ExperimentResults"
        Effect   = "Allow"
        Action   = "dynamodb:Query"
        Resource = var.experiments_table.arn
      },
      {
        Sid      = "Kms"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = var.kms_key_arn
      },
    ]
  })
}

resource "aws_iam_role" "training" {
  name_prefix        = "${var.name}-training-"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "training" {
  name   = "training-lambda"
  role   = aws_iam_role.training.id
  policy = local.training_policy
}

resource "aws_lambda_function" "training" {
  function_name     = local.function_name
  description       = "Step Functions task handler: Personalize orchestration and quality gate"
  role              = aws_iam_role.training.arn
  runtime           = "java17"
  handler           = var.training_handler
  architectures     = ["x86_64"]
  memory_size       = 1024
  timeout           = 300
  s3_bucket         = aws_s3_object.training_jar.bucket
  s3_key            = aws_s3_object.training_jar.key
  s3_object_version = aws_s3_object.training_jar.version_id
  source_code_hash  = filebase64sha256(var.training_jar_path)
  kms_key_arn       = var.kms_key_arn

  # Runs a few times per training cycle: one at a time is plenty and keeps Personalize calls
  # well inside their rate limits.
  reserved_concurrent_executions = 5

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.training.name
  }

  environment {
    variables = local.environment
  }

  depends_on = [aws_iam_role_policy.training]
}
