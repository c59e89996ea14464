locals {
  function_name = "${var.name}-api"
  metrics_ns    = "${var.name}/${module.contract.metrics.api_namespace_suffix}"

  campaign_arns = compact(concat(
    [for v in values(var.campaigns.variants) : v.campaign_arn],
    [var.campaigns.similar_items, var.campaigns.ranking, var.campaigns.trending],
  ))

  # The handler's variables by the contract's keys (environment.api_lambda: key => RECSYS_* name, the names
  # api-lambda's ApiConfig reads). Optional campaigns are left out when unset (the routes then answer from the
  # fallback list). The split the pipeline publishes is read from the same bucket at the contract's
  # experiment_split_key (read by the handler too), so it has no variable; IAM below names it.
  env = module.contract.environment.api_lambda
  environment = merge(
    {
      (local.env.experiment)            = var.settings.experiment.id
      (local.env.variants)              = jsonencode([for k in sort(keys(var.campaigns.variants)) : { name = k, campaign_arn = var.campaigns.variants[k].campaign_arn, weight = var.campaigns.variants[k].weight }])
      (local.env.redis_url)             = var.redis.url
      (local.env.redis_user)            = var.redis.user.id
      (local.env.redis_cache_name)      = var.redis.cache.name
      (local.env.fallback_bucket)       = var.bucket.name
      (local.env.fallback_key)          = module.contract.s3.popular_items_key
      (local.env.fallback_static_items) = join(",", var.settings.fallback_static_items)
      (local.env.user_profiles_table)   = var.user_profiles_table.name
      (local.env.interactions_table)    = var.interactions_table.name
      (local.env.items_table)           = var.items_table.name
      (local.env.users_table)           = var.users_table.name
      (local.env.experiments_table)     = var.experiments_table.name
      (local.env.exposure_stream)       = var.exposure_stream.name
      (local.env.metrics_namespace)     = local.metrics_ns
      # The gateway has verified the token; the handler reads the caller from its claims (auth.tf).
      (local.env.auth_mode)       = "jwt"
      (local.env.auth_user_claim) = coalesce(var.settings.auth.user_claim, module.contract.api.auth.default_user_claim)
    },
    var.campaigns.similar_items == null ? {} : { (local.env.similar_campaign_arn) = var.campaigns.similar_items },
    var.campaigns.ranking == null ? {} : { (local.env.ranking_campaign_arn) = var.campaigns.ranking },
    var.campaigns.trending == null ? {} : { (local.env.trending_campaign_arn) = var.campaigns.trending },
    # The named filters (ApiConfig: name => {arn, expression}) and the default of user recommendations.
    { (local.env.filters) = jsonencode(var.filters.definitions) },
    var.filters.default_user_filter == "" ? {} : { (local.env.default_user_filter) = var.filters.default_user_filter },
    length(var.settings.promotions) == 0 ? {} : { (local.env.promotions) = jsonencode(var.settings.promotions) },
    var.settings.exposure_queue_capacity == null ? {} : { (local.env.exposure_queue) = tostring(var.settings.exposure_queue_capacity) },
    var.settings.exposure_linger_ms == null ? {} : { (local.env.exposure_linger_ms) = tostring(var.settings.exposure_linger_ms) },
    length(var.settings.cors_origins) == 0 ? {} : { (local.env.cors_origins) = join(",", var.settings.cors_origins) },
    var.settings.extra_environment,
  )

  # What Powertools reads itself (environment.lambda_libraries): the service every log line and metric document names.
  library_environment = { (module.contract.environment.lambda_libraries.powertools_service_name) = local.function_name }
}

module "contract" {
  source        = "../contract"
  contract_file = var.contract_file
}

module "function" {
  source = "../lambda-function"

  function_name        = local.function_name
  description          = "Recommendation API (API Gateway REST proxy)"
  handler              = var.settings.handler
  memory_mb            = var.settings.memory_mb
  timeout_seconds      = var.settings.timeout_seconds
  reserved_concurrency = var.settings.reserved_concurrency
  artifact             = { path = var.jar_path, bucket = var.bucket.name, key_prefix = "${module.contract.s3.artifacts_prefix}api-lambda/" }
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  role_name_prefix     = "${var.name}-api-"
  policy_name          = "api-lambda"
  policy_statements    = local.function_statements
  vpc                  = { subnet_ids = var.vpc.subnet_ids, security_group_ids = [var.vpc.security_group_id] }
  snap_start           = true
  alias                = { name = "live", description = "The published (SnapStart) version API Gateway invokes" }

  environment = local.deployed_environment
}

locals {
  # Everything the function is given: no secret (the cache takes IAM tokens the function signs).
  deployed_environment = merge(local.environment, local.library_environment)
}

# The function, its role, policy, log group, jar and alias were resources of this module before
# modules/lambda-function existed: moved, not recreated.
moved {
  from = aws_s3_object.jar
  to   = module.function.aws_s3_object.artifact
}

moved {
  from = aws_cloudwatch_log_group.function
  to   = module.function.aws_cloudwatch_log_group.this
}

moved {
  from = aws_iam_role.function
  to   = module.function.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.function
  to   = module.function.aws_iam_role_policy.this
}

moved {
  from = aws_lambda_function.api
  to   = module.function.aws_lambda_function.this
}

moved {
  from = aws_lambda_alias.live
  to   = module.function.aws_lambda_alias.this[0]
}

locals {
  # What the handler calls, beyond logs, VPC ENIs and X-Ray (added by modules/lambda-function).
  function_statements = [
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
      Resource = [for k in [module.contract.s3.popular_items_key, module.contract.s3.experiment_split_key] : "${var.bucket.arn}/${k}"]
    },
    {
      # S3Fetcher lists a document's exact key before reading it: without ListBucket a missing key is 403, not 404.
      Sid       = "FindPublishedDocuments"
      Effect    = "Allow"
      Action    = "s3:ListBucket"
      Resource  = var.bucket.arn
      Condition = { StringEquals = { "s3:prefix" = [module.contract.s3.popular_items_key, module.contract.s3.experiment_split_key] } }
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
      # Fallback answers obey the request's filter: the candidates' catalog rows (catalog/DynamoItemCatalog, BatchGetItem)
      # and the user's latest events (history/DynamoUserInteractions, Query on the time index).
      Sid      = "Catalog"
      Effect   = "Allow"
      Action   = "dynamodb:BatchGetItem"
      Resource = var.items_table.arn
    },
    {
      # IF CurrentUser conditions of a filter on fallback answers: the one user's metadata row.
      Sid      = "Users"
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem"]
      Resource = var.users_table.arn
    },
    {
      Sid      = "UserEvents"
      Effect   = "Allow"
      Action   = "dynamodb:Query"
      Resource = "${var.interactions_table.arn}/index/${var.interactions_time_index}"
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
      # The cache (cache/RedisCache): IAM authentication as the API's own ElastiCache user, nobody else.
      Sid      = "CacheConnect"
      Effect   = "Allow"
      Action   = "elasticache:Connect"
      Resource = [var.redis.cache.arn, var.redis.user.arn]
    },
    {
      # The stack key, only through the services that hold data under it for the function: Lambda (environment,
      # SnapStart snapshots), S3 (the published documents), DynamoDB (the tables).
      Sid       = "Kms"
      Effect    = "Allow"
      Action    = "kms:Decrypt"
      Resource  = var.kms_key_arn
      Condition = { StringEquals = { "kms:ViaService" = [for s in ["lambda", "s3", "dynamodb"] : "${s}.${var.region}.amazonaws.com"] } }
    },
  ]
}
