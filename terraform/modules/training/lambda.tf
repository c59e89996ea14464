module "contract" {
  source        = "../contract"
  contract_file = var.contract_file
}

module "function" {
  source = "../lambda-function"

  function_name   = local.function_name
  description     = "Step Functions task handler: Personalize orchestration and quality gate"
  handler         = var.settings.handler
  memory_mb       = 1024
  timeout_seconds = 300
  # Runs a few times per training cycle: one at a time is plenty and keeps Personalize calls
  # well inside their rate limits.
  reserved_concurrency = 5
  artifact             = { path = var.training_jar_path, bucket = var.bucket.name, key_prefix = "${module.contract.s3.artifacts_prefix}training-lambda/" }
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  role_name_prefix     = "${var.name}-training-"
  policy_name          = "training-lambda"
  policy_statements    = local.training_statements
  environment          = merge(local.environment, local.library_environment)
}

# The function, its role, policy, log group and jar were resources of this module before
# modules/lambda-function existed: moved, not recreated.
moved {
  from = aws_s3_object.training_jar
  to   = module.function.aws_s3_object.artifact
}

moved {
  from = aws_cloudwatch_log_group.training
  to   = module.function.aws_cloudwatch_log_group.this
}

moved {
  from = aws_iam_role.training
  to   = module.function.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.training
  to   = module.function.aws_iam_role_policy.this
}

moved {
  from = aws_lambda_function.training
  to   = module.function.aws_lambda_function.this
}

locals {
  # What the task handler calls, beyond logs and X-Ray (added by modules/lambda-function).
  training_statements = [
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
        # Filters cannot be updated: a changed expression is a delete and a create under the same name.
        "personalize:CreateFilter", "personalize:DescribeFilter", "personalize:DeleteFilter",
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
        "personalize:ListCampaigns", "personalize:ListEventTrackers", "personalize:ListFilters",
      ]
      Resource = "*"
    },
    {
      # The import role (CreateDatasetImportJob) and the dataset group's key role (CreateDatasetGroup).
      Sid       = "PassRoleToPersonalize"
      Effect    = "Allow"
      Action    = "iam:PassRole"
      Resource  = [aws_iam_role.personalize.arn, aws_iam_role.dataset_group.arn]
      Condition = { StringEquals = { "iam:PassedToService" = "personalize.amazonaws.com" } }
    },
    {
      Sid       = "ListPreparedAndConfig"
      Effect    = "Allow"
      Action    = "s3:ListBucket"
      Resource  = var.bucket.arn
      Condition = { StringLike = { "s3:prefix" = ["${module.contract.s3.prepared_prefix}*", "${module.contract.s3.config_prefix}*"] } }
    },
    {
      Sid      = "ReadManifests"
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "${var.bucket.arn}/${module.contract.s3.prepared_prefix}*"
    },
    {
      Sid      = "PublishFallback"
      Effect   = "Allow"
      Action   = "s3:PutObject"
      Resource = "${var.bucket.arn}/${module.contract.s3.popular_items_key}"
    },
    {
      # The decision step reads the split being served and publishes the next one.
      Sid      = "ExperimentSplit"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:PutObject"]
      Resource = "${var.bucket.arn}/${module.contract.s3.experiment_split_key}"
    },
    {
      # The decision step reads the experiment's results (a strongly consistent Query per route).
      Sid      = "ExperimentResults"
      Effect   = "Allow"
      Action   = "dynamodb:Query"
      Resource = var.experiments_table.arn
    },
    {
      # The key through the services the function uses it with: Lambda (its environment), S3 (manifests, fallback
      # list, split) and DynamoDB (the experiments table). Personalize uses it through its own role.
      Sid       = "Kms"
      Effect    = "Allow"
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = var.kms_key_arn
      Condition = { StringEquals = { "kms:ViaService" = [for s in ["lambda", "s3", "dynamodb"] : "${s}.${var.region}.amazonaws.com"] } }
    },
  ]
}
