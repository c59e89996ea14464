# Personalize resources (dataset group, schema, dataset, solutions, campaigns, event tracker) are
# created idempotently by the training pipeline itself, not by Terraform: the provider has no
# aws_personalize_* resources, CloudFormation covers only part of them (no campaigns, no event
# tracker), and the same create-if-absent code already runs offline against the local engine.
# Terraform fixes their names (prefix = var.name) so IAM can be scoped to them and the API can be
# given real campaign ARNs before the first run. See docs/deploy for the teardown order.

locals {
  arn_prefix = "arn:${var.partition}:personalize:${var.region}:${var.account_id}"
  # TrainingConfig.datasetGroupName(): the function's name_prefix variable, which is var.name (environment below).
  dataset_group = var.name

  # null: the contract's default recipe (the file SolutionPlan reads too); "" trains none.
  related_items_recipe = var.settings.related_items_recipe_arn == null ? module.contract.recipes.related_items : var.settings.related_items_recipe_arn
  ranking_recipe       = var.settings.ranking_recipe_arn == null ? module.contract.recipes.ranking : var.settings.ranking_recipe_arn
  trending_recipe      = var.settings.trending_recipe_arn == null ? module.contract.recipes.trending : var.settings.trending_recipe_arn

  # TrainingConfig / SolutionPlan: solution and campaign of variant v are both named <prefix>-<v>; the
  # related-items, ranking and trending solutions <prefix>-similar, -ranking and -trending (when their recipe is set); the
  # popularity baseline (<prefix>-baseline, unless a variant is popularity) has no campaign.
  campaign_arns              = { for k in keys(var.settings.variants) : k => "${local.arn_prefix}:campaign/${var.name}-${k}" }
  similar_items_campaign_arn = local.related_items_recipe == "" ? null : "${local.arn_prefix}:campaign/${var.name}-similar"
  ranking_campaign_arn       = local.ranking_recipe == "" ? null : "${local.arn_prefix}:campaign/${var.name}-ranking"
  trending_campaign_arn      = local.trending_recipe == "" ? null : "${local.arn_prefix}:campaign/${var.name}-trending"
  all_campaign_arns = merge(
    local.campaign_arns,
    local.similar_items_campaign_arn == null ? {} : { similar = local.similar_items_campaign_arn },
    local.ranking_campaign_arn == null ? {} : { ranking = local.ranking_campaign_arn },
    local.trending_campaign_arn == null ? {} : { trending = local.trending_campaign_arn },
  )

  # The dataset group's Items and Users datasets (PersonalizeResources creates both in every run's ensure step):
  # Personalize names a dataset's ARN after its group and type, so they are known before they exist. The consumer
  # forwards item and user records to them (PutItems, PutUsers).
  dataset_arns = { for k, type in { items = "ITEMS", users = "USERS" } : k => "${local.arn_prefix}:dataset/${local.dataset_group}/${type}" }

  personalize_resources = [
    "${local.arn_prefix}:dataset-group/${local.dataset_group}",
    "${local.arn_prefix}:schema/${var.name}-*",
    "${local.arn_prefix}:dataset/${local.dataset_group}/*",
    "${local.arn_prefix}:dataset-import-job/${var.name}-*",
    "${local.arn_prefix}:solution/${var.name}-*",
    "${local.arn_prefix}:campaign/${var.name}-*",
    "${local.arn_prefix}:filter/${var.name}-*",
    # Event tracker ARNs carry a generated id, not our name: scoped to account and region.
    "${local.arn_prefix}:event-tracker/*",
    "arn:${var.partition}:personalize:::recipe/*",
  ]

  function_name = "${var.name}-training"

  # null: the contract's experiment.default_route (ExperimentConfig's default too).
  experiment_route = coalesce(var.settings.experiment.route, module.contract.api.routes[module.contract.experiment.default_route].template)

  # The training function's variables by the contract's keys (environment.training_lambda: key => the name
  # training-lambda's TrainingConfig and ExperimentConfig read). AWS_REGION (aws_region) is set by Lambda itself.
  env = module.contract.environment.training_lambda
  environment = merge(
    {
      (local.env.data_bucket)                 = var.bucket.name
      (local.env.name_prefix)                 = var.name
      (local.env.variants)                    = join(",", [for k in sort(keys(var.settings.variants)) : "${k}=${var.settings.variants[k]}"])
      (local.env.related_items_recipe)        = local.related_items_recipe
      (local.env.ranking_recipe)              = local.ranking_recipe
      (local.env.trending_recipe)             = local.trending_recipe
      (local.env.import_role_arn)             = aws_iam_role.personalize.arn
      (local.env.gate_tolerance)              = tostring(var.settings.promotion_tolerance)
      (local.env.personalize_resources_owner) = "pipeline"
      (local.env.include_event_value)         = tostring(var.settings.include_event_value)
      # The decision step (ExperimentConfig): the online results of the experiment the API runs, the split
      # deployed (the API's RECSYS_VARIANTS weights) and what to do with a winner.
      (local.env.experiments_table)       = var.experiments_table.name
      (local.env.experiment_id)           = var.settings.experiment.id
      (local.env.experiment_policy)       = var.settings.experiment.policy
      (local.env.experiment_route)        = local.experiment_route
      (local.env.experiment_promote_step) = tostring(var.settings.experiment.promote_step)
      (local.env.variant_weights)         = join(",", [for k in sort(keys(var.settings.variant_weights)) : "${k}=${var.settings.variant_weights[k]}"])
      # The dataset group is created encrypted with the stack's key, Personalize using it through its own role.
      (local.env.kms_key_arn)            = var.kms_key_arn
      (local.env.dataset_group_role_arn) = aws_iam_role.dataset_group.arn
      # How many status checks each wait loop makes before the run fails with <Stage>Timeout (StatusChecks).
      (local.env.max_status_checks) = join(",", [for k in ["resources", "import", "training", "campaign"] : "${k}=${var.settings.max_status_checks[k]}"])
      # The named filters the pipeline creates as <name>-<filter> (FilterPlan: name => expression).
      (local.env.filters) = jsonencode(var.settings.filters)
    },
    var.settings.extra_environment,
  )

  # What Powertools reads itself (environment.lambda_libraries): the service every log line and metric document names.
  library_environment = { (module.contract.environment.lambda_libraries.powertools_service_name) = local.function_name }
}

# Every role of this module is assumed by one AWS service, and only on behalf of this account (confused deputy).
locals {
  service_trust = { for svc in ["events", "glue", "personalize", "scheduler", "states"] : svc => jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "${svc}.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  }) }
}

# ---- Role Personalize assumes to read the prepared CSV ------------------------------------------

locals {
  personalize_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ListPrepared"
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = var.bucket.arn
        Condition = { StringLike = { "s3:prefix" = ["${local.prepared_prefix}*"] } }
      },
      {
        Sid      = "ReadPrepared"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${var.bucket.arn}/${local.prepared_prefix}*"
      },
      {
        # The prepared CSV is SSE-KMS: decrypted by S3 on the role's behalf, nowhere else.
        Sid       = "Kms"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "s3.${var.region}.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_iam_role" "personalize" {
  name_prefix        = "${var.name}-personalize-"
  assume_role_policy = local.service_trust["personalize"]
}

resource "aws_iam_role_policy" "personalize" {
  name   = "read-prepared"
  role   = aws_iam_role.personalize.id
  policy = local.personalize_policy
}

# ---- Role Personalize assumes to use the stack's key for the dataset group ---------------------
# CreateDatasetGroup takes kmsKeyArn with a role Personalize assumes to use the key (TrainingConfig: KMS_KEY_ARN,
# DATASET_GROUP_ROLE_ARN). Personalize also needs the key policy to allow personalize.amazonaws.com (modules/security).

locals {
  dataset_group_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # The actions Personalize documents for a dataset group's key (CreateGrant belongs to the key policy only),
      # on this key only and only through Personalize.
      Sid       = "DatasetGroupKey"
      Effect    = "Allow"
      Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants"]
      Resource  = var.kms_key_arn
      Condition = { StringEquals = { "kms:ViaService" = "personalize.${var.region}.amazonaws.com" } }
    }]
  })
}

resource "aws_iam_role" "dataset_group" {
  name_prefix        = "${var.name}-dsg-key-"
  assume_role_policy = local.service_trust["personalize"]
}

resource "aws_iam_role_policy" "dataset_group" {
  name   = "dataset-group-key"
  role   = aws_iam_role.dataset_group.id
  policy = local.dataset_group_policy
}
