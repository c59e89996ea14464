locals {
  function_name = "${var.name}-api"
  metrics_ns    = "${var.name}/api"

  campaign_arns = compact(concat(
    [for v in values(var.variant_campaign_arns) : v.campaign_arn],
    [var.similar_items_campaign_arn, var.ranking_campaign_arn],
  ))

  # Names follow api-lambda's ApiConfig.fromEnvironment (RECSYS_*). Optional campaigns are left
  # out when unset (the routes then answer from the fallback list).
  # The split the pipeline publishes (config/experiment.json) is read from the same bucket at a key fixed in
  # code (S3Layout.EXPERIMENT_CONFIG_KEY), so it has no variable; IAM below names it.
  environment = merge(
    {
      RECSYS_EXPERIMENT            = var.experiment_id
      RECSYS_VARIANTS              = jsonencode([for k in sort(keys(var.variant_campaign_arns)) : { name = k, campaign_arn = var.variant_campaign_arns[k].campaign_arn, weight = var.variant_campaign_arns[k].weight }])
      RECSYS_REDIS_URL             = var.redis_url
      RECSYS_FALLBACK_BUCKET       = var.bucket.name
      RECSYS_FALLBACK_KEY          = var.published_keys.fallback_list
      RECSYS_FALLBACK_STATIC_ITEMS = join(",", var.fallback_static_items)
      RECSYS_USER_PROFILES_TABLE   = var.user_profiles_table.name
      RECSYS_INTERACTIONS_TABLE    = var.interactions_table.name
      RECSYS_EXPERIMENTS_TABLE     = var.experiments_table.name
      RECSYS_EXPOSURE_STREAM       = var.exposure_stream.name
      RECSYS_METRICS_NAMESPACE     = local.metrics_ns
    },
    var.similar_items_campaign_arn == null ? {} : { RECSYS_SIMILAR_CAMPAIGN_ARN = var.similar_items_campaign_arn },
    var.ranking_campaign_arn == null ? {} : { RECSYS_RANKING_CAMPAIGN_ARN = var.ranking_campaign_arn },
    var.exposure_queue_capacity == null ? {} : { RECSYS_EXPOSURE_QUEUE = tostring(var.exposure_queue_capacity) },
    var.exposure_linger_ms == null ? {} : { RECSYS_EXPOSURE_LINGER_MS = tostring(var.exposure_linger_ms) },
    var.extra_environment,
  )
}

resource "aws_s3_object" "jar" {
  bucket      = var.bucket.name
  key         = "artifacts/api-lambda/${basename(var.jar_path)}"
  source      = var.jar_path
  source_hash = filemd5(var.jar_path)
  kms_key_id  = var.kms_key_arn
}

resource "aws_cloudwatch_log_group" "function" {
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

  function_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.function.arn}:*"
      },
      {
        # Lambda manages the function's VPC ENIs with the execution role. Describe* has no
        # resource-level permissions and ENI ids are not known in advance, so "*" is the
        # narrowest resource (the same set as the AWSLambdaVPCAccessExecutionRole managed policy).
        Sid      = "VpcEnis"
        Effect   = "Allow"
        Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
        Resource = "*"
      },
      {
        # X-Ray trace ingestion has no resource-level permissions.
        Sid      = "Tracing"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = "*"
      },
      {
        Sid      = "Recommendations"
        Effect   = "Allow"
        Action   = ["personalize:GetRecommendations", "personalize:GetPersonalizedRanking"]
        Resource = concat(local.campaign_arns, ["arn:${var.partition}:personalize:${var.region}:${var.account_id}:filter/${var.name}-*"])
      },
      {
        # The two documents the pipeline publishes: the fallback list and the A/B split (published/S3Fetcher).
        Sid      = "PublishedDocuments"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = [for k in [var.published_keys.fallback_list, var.published_keys.experiment_split] : "${var.bucket.arn}/${k}"]
      },
      {
        # S3Fetcher lists a document's exact key before reading it: without ListBucket a missing key is 403, not 404.
        Sid       = "FindPublishedDocuments"
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = var.bucket.arn
        Condition = { StringEquals = { "s3:prefix" = [var.published_keys.fallback_list, var.published_keys.experiment_split] } }
      },
      {
        # Cold-start detection: one GetItem on the user's profile.
        Sid      = "UserProfiles"
        Effect   = "Allow"
        Action   = "dynamodb:GetItem"
        Resource = var.user_profiles_table.arn
      },
      {
        # history/DynamoItemHistory: is the seed item known? One Query (Limit 1) on the keys-only ItemIndex.
        Sid      = "ItemHistory"
        Effect   = "Allow"
        Action   = "dynamodb:Query"
        Resource = "${var.interactions_table.arn}/index/${var.interactions_item_index}"
      },
      {
        # GET /experiments (experiments/DynamoExperimentResults): Query one experiment, Scan for all.
        Sid      = "ExperimentResults"
        Effect   = "Allow"
        Action   = ["dynamodb:Query", "dynamodb:Scan"]
        Resource = var.experiments_table.arn
      },
      {
        # exposure/KinesisExposureLog: every answer is recorded as an exposure on the interactions stream.
        Sid      = "Exposures"
        Effect   = "Allow"
        Action   = "kinesis:PutRecords"
        Resource = var.exposure_stream.arn
      },
      {
        # Writing to a stream encrypted with a customer-managed key needs a data key, only through Kinesis.
        Sid       = "ExposureStreamKey"
        Effect    = "Allow"
        Action    = "kms:GenerateDataKey"
        Resource  = var.exposure_stream.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "kinesis.${var.region}.amazonaws.com" } }
      },
      {
        Sid      = "Kms"
        Effect   = "Allow"
        Action   = "kms:Decrypt"
        Resource = var.kms_key_arn
      },
    ]
  })
}

resource "aws_iam_role" "function" {
  name_prefix        = "${var.name}-api-"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "function" {
  name   = "api-lambda"
  role   = aws_iam_role.function.id
  policy = local.function_policy
}

resource "aws_lambda_function" "api" {
  function_name     = local.function_name
  description       = "Recommendation API (API Gateway REST proxy)"
  role              = aws_iam_role.function.arn
  runtime           = "java17"
  handler           = var.handler
  architectures     = ["x86_64"]
  memory_size       = var.memory_mb
  timeout           = var.timeout_seconds
  s3_bucket         = aws_s3_object.jar.bucket
  s3_key            = aws_s3_object.jar.key
  s3_object_version = aws_s3_object.jar.version_id
  source_code_hash  = filebase64sha256(var.jar_path)
  kms_key_arn       = var.kms_key_arn

  reserved_concurrent_executions = var.reserved_concurrency

  # SnapStart snapshots the initialised JVM of each published version: the alias below always
  # points at a published version, never at $LATEST.
  publish = true
  snap_start {
    apply_on = "PublishedVersions"
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [var.security_group_id]
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  # The handler reads the AUTH token from its environment (ApiConfig: RECSYS_REDIS_AUTH_TOKEN);
  # environment variables are encrypted with the stack's key (kms_key_arn above).
  environment {
    variables = merge(local.environment, { RECSYS_REDIS_AUTH_TOKEN = var.redis_auth_token })
  }

  depends_on = [aws_iam_role_policy.function]
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "The published (SnapStart) version API Gateway invokes"
  function_name    = aws_lambda_function.api.function_name
  function_version = aws_lambda_function.api.version
}
