data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
  # Local Zones and Wavelength zones cannot host ElastiCache multi-AZ or all endpoints.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  azs        = slice(sort(data.aws_availability_zones.available.names), 0, var.network.az_count)

  repo_root = coalesce(var.artifacts.repo_root, "${path.module}/..")
  jars = merge(
    {
      api_lambda      = "${local.repo_root}/api-lambda/target/api-lambda-${var.artifacts.version}-lambda.jar"
      training_lambda = "${local.repo_root}/training-lambda/target/training-lambda-${var.artifacts.version}-lambda.jar"
      glue_job        = "${local.repo_root}/glue-job/target/glue-job-${var.artifacts.version}-glue.jar"
      glue_script     = "${local.repo_root}/glue-job/src/main/glue/GlueApp.scala"
    },
    var.artifacts.overrides,
  )
  asl_path = coalesce(var.artifacts.asl_template_path, "${local.repo_root}/training-lambda/src/main/resources/statemachine/training-pipeline.asl.json")

  kcl_application_name = "${var.name}-kcl-consumer"

  # The pipeline's related-items and ranking campaigns serve their routes unless an api_* override names another.
  similar_items_campaign_arn = var.api.similar_items_campaign_arn != null ? var.api.similar_items_campaign_arn : module.training.similar_items_campaign_arn
  ranking_campaign_arn       = var.api.ranking_campaign_arn != null ? var.api.ranking_campaign_arn : module.training.ranking_campaign_arn

  # The experiment's control: as set, else the popularity variant (training-lambda SolutionPlan.POPULARITY_RECIPE),
  # else "" (the consumer then takes the first variant by name).
  popularity_variants        = [for k in sort(keys(var.ab_variants)) : k if endswith(var.ab_variants[k].recipe_arn, ":recipe/aws-popularity-count")]
  experiment_control_variant = var.experiment.control_variant != null ? var.experiment.control_variant : try(local.popularity_variants[0], "")

  # The experiment with its contract defaults: the id the API assigns under by default, the route decided on.
  experiment = merge(var.experiment, {
    id    = coalesce(var.experiment.id, module.contract.experiment.default_id)
    route = coalesce(var.experiment.route, module.contract.api.routes[module.contract.experiment.default_route].template)
  })

  # The filters with their contract defaults (the offline demo deploys the same ones).
  filter_definitions  = var.filters.definitions != null ? var.filters.definitions : module.contract.filters.definitions
  default_user_filter = var.filters.default_user_filter != null ? var.filters.default_user_filter : module.contract.filters.default_user_filter
}

# The names the repository shares between Java and Terraform (common/contract/recsys-contract.json): here the
# experiment's and the filters' defaults and the exposure routes the experiment input is checked against.
module "contract" {
  source = "./modules/contract"
}

# Each module takes the stack-wide inputs it needs as plain variables (name, region, account_id, partition,
# kms_key_arn, log_retention_days), its settings as one `settings` object (the root's object for it, merged with
# what it needs of the others), and the outputs of other modules (wiring) as separate, typed variables.

module "security" {
  source = "./modules/security"

  name       = var.name
  account_id = local.account_id
  region     = var.region
  partition  = local.partition
}

module "network" {
  source = "./modules/network"

  name        = var.name
  region      = var.region
  account_id  = local.account_id
  partition   = local.partition
  kms_key_arn = module.security.kms_key_arn
  settings    = var.network # network.az_count is the root's: it picks local.azs

  availability_zones = local.azs
}

module "streaming" {
  source = "./modules/streaming"

  name        = var.name
  kms_key_arn = module.security.kms_key_arn
  settings    = var.streaming
}

module "storage" {
  source = "./modules/storage"

  name               = var.name
  account_id         = local.account_id
  kms_key_arn        = module.security.kms_key_arn
  log_retention_days = var.log_retention_days
  settings           = var.storage # storage.interactions_ttl_days goes to the consumer

  kcl_application_name = local.kcl_application_name
  vpc                  = { subnet_ids = module.network.private_subnet_ids, security_group_id = module.network.redis_security_group_id }
}

module "ingest_fleet" {
  source = "./modules/ingest-fleet"

  name               = var.name
  region             = var.region
  account_id         = local.account_id
  partition          = local.partition
  kms_key_arn        = module.security.kms_key_arn
  log_retention_days = var.log_retention_days
  settings = merge(var.consumer, {
    shard_count           = var.streaming.shard_count
    interactions_ttl_days = var.storage.interactions_ttl_days
    experiment            = merge(local.experiment, { control_variant = local.experiment_control_variant })
  })

  vpc                 = { subnet_ids = module.network.private_subnet_ids, security_group_id = module.network.consumer_security_group_id }
  stream              = { name = module.streaming.stream_name, arn = module.streaming.stream_arn }
  lease_table         = { name = module.storage.lease_table_name, arn = module.storage.lease_table_arn }
  interactions_table  = module.storage.interactions_table
  user_profiles_table = module.storage.user_profiles_table
  items_table         = module.storage.items_table
  users_table         = module.storage.users_table
  experiment_tables   = module.storage.experiment_tables
  exposure_time_index = module.storage.exposures_time_index_name
  bucket              = module.storage.bucket
  redis               = { url = module.storage.redis_url, cache = module.storage.redis_cache, user = module.storage.redis_users.consumer }
  # The pipeline's Items and Users datasets (named before they exist): the consumer's PutItems / PutUsers.
  personalize_datasets = module.training.dataset_arns
}

module "serving" {
  source = "./modules/serving"

  name               = var.name
  region             = var.region
  account_id         = local.account_id
  partition          = local.partition
  kms_key_arn        = module.security.kms_key_arn
  log_retention_days = var.log_retention_days
  jar_path           = local.jars.api_lambda
  settings           = merge(var.api, { experiment = local.experiment }) # api.*_campaign_arn: resolved into campaigns

  vpc                     = { subnet_ids = module.network.private_subnet_ids, security_group_id = module.network.api_security_group_id }
  bucket                  = module.storage.bucket
  user_profiles_table     = module.storage.user_profiles_table
  interactions_table      = module.storage.interactions_table
  interactions_item_index = module.storage.interactions_item_index_name
  interactions_time_index = module.storage.interactions_time_index_name
  items_table             = module.storage.items_table
  users_table             = module.storage.users_table
  experiments_table       = module.storage.experiment_tables.experiments
  exposure_stream         = { name = module.streaming.stream_name, arn = module.streaming.stream_arn, kms_key_arn = module.streaming.kms_key_arn }
  redis                   = { url = module.storage.redis_url, cache = module.storage.redis_cache, user = module.storage.redis_users.api }
  campaigns = {
    variants      = { for k, v in var.ab_variants : k => { weight = v.weight, campaign_arn = module.training.variant_campaign_arns[k] } }
    similar_items = local.similar_items_campaign_arn
    ranking       = local.ranking_campaign_arn
    trending      = module.training.trending_campaign_arn
  }
  # The pipeline creates each filter; the API calls it by the ARN it gets.
  filters = { definitions = module.training.filters, default_user_filter = local.default_user_filter }
}

module "training" {
  source = "./modules/training"

  name               = var.name
  region             = var.region
  account_id         = local.account_id
  partition          = local.partition
  kms_key_arn        = module.security.kms_key_arn
  log_retention_days = var.log_retention_days
  training_jar_path  = local.jars.training_lambda
  glue_jar_path      = local.jars.glue_job
  glue_script_path   = local.jars.glue_script
  asl_template_path  = local.asl_path
  settings = merge(var.training, {
    variants        = { for k, v in var.ab_variants : k => v.recipe_arn }
    variant_weights = { for k, v in var.ab_variants : k => v.weight }
    experiment      = local.experiment
    filters         = local.filter_definitions
  })

  bucket            = module.storage.bucket
  experiments_table = module.storage.experiment_tables.experiments
  sns_topic_arn     = module.monitoring.sns_topic_arn
}

module "monitoring" {
  source = "./modules/monitoring"

  name        = var.name
  region      = var.region
  account_id  = local.account_id
  kms_key_arn = module.security.kms_key_arn
  settings    = merge(var.monitoring, { experiment = merge(local.experiment, { variants = sort(keys(var.ab_variants)) }) })

  stream_name = module.streaming.stream_name
  bucket_name = module.storage.bucket.name

  consumer = {
    cluster_name      = module.ingest_fleet.cluster_name
    service_name      = module.ingest_fleet.service_name
    metrics_namespace = module.ingest_fleet.metrics_namespace
    min_count         = var.consumer.min_count
  }

  api = {
    rest_api_name     = module.serving.rest_api_name
    stage_name        = module.serving.stage_name
    function_name     = module.serving.function_name
    alias_name        = module.serving.alias_name
    metrics_namespace = module.serving.metrics_namespace
    exposure_routes   = module.serving.exposure_routes
  }

  redis = {
    replication_group_id = module.storage.redis_replication_group_id
    nodes                = var.storage.redis_replicas
  }

  table_names = merge(
    {
      interactions  = module.storage.interactions_table.name
      user-profiles = module.storage.user_profiles_table.name
      kcl-leases    = module.storage.lease_table_name
    },
    { for k, t in module.storage.experiment_tables : replace(k, "_", "-") => t.name },
  )

  training = {
    state_machine_arn = module.training.state_machine_arn
    function_name     = module.training.training_function_name
    glue_job_name     = module.training.glue_job_name
  }
}
