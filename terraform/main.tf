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
}

module "security" {
  source = "./modules/security"

  name       = var.name
  account_id = local.account_id
  region     = var.region
  partition  = local.partition
}

module "network" {
  source = "./modules/network"

  name                    = var.name
  region                  = var.region
  vpc_cidr                = var.network.vpc_cidr
  availability_zones      = local.azs
  egress_mode             = var.network.egress_mode
  single_nat_gateway      = var.network.single_nat_gateway
  kms_key_arn             = module.security.kms_key_arn
  flow_log_retention_days = var.network.flow_log_retention_days
}

module "streaming" {
  source = "./modules/streaming"

  name            = var.name
  stream_mode     = var.streaming.mode
  shard_count     = var.streaming.shard_count
  retention_hours = var.streaming.retention_hours
  kms_key_arn     = module.security.kms_key_arn
}

module "storage" {
  source = "./modules/storage"

  name                       = var.name
  account_id                 = local.account_id
  kms_key_arn                = module.security.kms_key_arn
  deletion_protection        = var.storage.deletion_protection
  raw_retention_days         = var.storage.raw_retention_days
  dead_letter_retention_days = var.storage.dead_letter_retention_days
  kcl_application_name       = local.kcl_application_name
  subnet_ids                 = module.network.private_subnet_ids
  redis_security_group_id    = module.network.redis_security_group_id
  redis_node_type            = var.storage.redis_node_type
  redis_replicas             = var.storage.redis_replicas
  redis_auth_token           = module.security.redis_auth_token
  log_retention_days         = var.log_retention_days
}

module "ingest_fleet" {
  source = "./modules/ingest-fleet"

  name                   = var.name
  region                 = var.region
  account_id             = local.account_id
  partition              = local.partition
  kms_key_arn            = module.security.kms_key_arn
  subnet_ids             = module.network.private_subnet_ids
  security_group_id      = module.network.consumer_security_group_id
  image_tag              = var.consumer.image_tag
  cpu                    = var.consumer.cpu
  memory                 = var.consumer.memory
  min_count              = var.consumer.min_count
  max_count              = var.consumer.max_count
  shard_count            = var.streaming.shard_count
  iterator_age_target_ms = var.consumer.iterator_age_target_ms
  cpu_target_percent     = var.consumer.cpu_target_percent
  use_enhanced_fan_out   = var.consumer.use_enhanced_fan_out
  stream_name            = module.streaming.stream_name
  stream_arn             = module.streaming.stream_arn
  application_name       = module.storage.lease_table_name
  lease_table_arn        = module.storage.lease_table_arn
  interactions_table     = { name = module.storage.interactions_table_name, arn = module.storage.interactions_table_arn }
  user_profiles_table    = { name = module.storage.user_profiles_table_name, arn = module.storage.user_profiles_table_arn }
  bucket                 = { name = module.storage.bucket_name, arn = module.storage.bucket_arn }
  interaction_ttl_days   = var.storage.interactions_ttl_days
  experiment_tables      = module.storage.experiment_tables
  exposure_time_index    = module.storage.exposures_time_index_name
  experiment = {
    attribution_window     = var.experiment.attribution_window
    click_event_types      = var.experiment.click_event_types
    conversion_event_types = var.experiment.conversion_event_types
    control_variant        = local.experiment_control_variant
    alpha                  = var.experiment.alpha
    min_users              = var.experiment.min_users
    min_exposures          = var.experiment.min_exposures
    ttl_days               = var.experiment.ttl_days
  }
  redis_uri_secret_arn = module.storage.redis_uri_secret_arn
  event_tracking_id    = var.consumer.event_tracking_id
  extra_environment    = var.consumer.extra_environment
  log_retention_days   = var.log_retention_days
}

module "serving" {
  source = "./modules/serving"

  name                       = var.name
  region                     = var.region
  account_id                 = local.account_id
  partition                  = local.partition
  kms_key_arn                = module.security.kms_key_arn
  jar_path                   = local.jars.api_lambda
  handler                    = var.api.handler
  memory_mb                  = var.api.memory_mb
  reserved_concurrency       = var.api.reserved_concurrency
  subnet_ids                 = module.network.private_subnet_ids
  security_group_id          = module.network.api_security_group_id
  bucket                     = { name = module.storage.bucket_name, arn = module.storage.bucket_arn }
  user_profiles_table        = { name = module.storage.user_profiles_table_name, arn = module.storage.user_profiles_table_arn }
  interactions_table         = { name = module.storage.interactions_table_name, arn = module.storage.interactions_table_arn }
  interactions_item_index    = module.storage.interactions_item_index_name
  experiments_table          = module.storage.experiment_tables.experiments
  exposure_stream            = { name = module.streaming.stream_name, arn = module.streaming.stream_arn, kms_key_arn = module.streaming.kms_key_arn }
  exposure_queue_capacity    = var.api.exposure_queue_capacity
  exposure_linger_ms         = var.api.exposure_linger_ms
  experiment_id              = var.experiment.id
  redis_url                  = module.storage.redis_url
  redis_auth_token           = module.security.redis_auth_token
  fallback_static_items      = var.api.fallback_static_items
  variant_campaign_arns      = { for k, v in var.ab_variants : k => { weight = v.weight, campaign_arn = module.training.variant_campaign_arns[k] } }
  similar_items_campaign_arn = local.similar_items_campaign_arn
  ranking_campaign_arn       = local.ranking_campaign_arn
  extra_environment          = var.api.extra_environment
  api_clients                = var.api.clients
  throttle_rate              = var.api.throttle_rate
  throttle_burst             = var.api.throttle_burst
  quota_per_day              = var.api.quota_per_day
  cache_ttl_seconds          = var.api.cache_ttl_seconds
  manage_apigateway_account  = var.api.manage_apigateway_account
  log_retention_days         = var.log_retention_days
}

module "training" {
  source = "./modules/training"

  name                   = var.name
  region                 = var.region
  account_id             = local.account_id
  partition              = local.partition
  kms_key_arn            = module.security.kms_key_arn
  bucket                 = { name = module.storage.bucket_name, arn = module.storage.bucket_arn }
  training_jar_path      = local.jars.training_lambda
  training_handler       = var.training.handler
  glue_jar_path          = local.jars.glue_job
  glue_script_path       = local.jars.glue_script
  glue_worker_type       = var.training.glue_worker_type
  glue_number_of_workers = var.training.glue_number_of_workers
  asl_template_path      = local.asl_path
  sns_topic_arn          = module.monitoring.sns_topic_arn
  variants               = { for k, v in var.ab_variants : k => v.recipe_arn }
  variant_weights        = { for k, v in var.ab_variants : k => v.weight }
  experiments_table      = module.storage.experiment_tables.experiments
  experiment = {
    id           = var.experiment.id
    policy       = var.experiment.policy
    route        = var.experiment.route
    promote_step = var.experiment.promote_step
  }
  related_items_recipe_arn = var.training.related_items_recipe_arn
  ranking_recipe_arn       = var.training.ranking_recipe_arn
  promotion_tolerance      = var.training.promotion_tolerance
  schedule_expression      = var.training.schedule_expression
  extra_environment        = var.training.extra_environment
  log_retention_days       = var.log_retention_days
}

module "monitoring" {
  source = "./modules/monitoring"

  name                         = var.name
  region                       = var.region
  account_id                   = local.account_id
  kms_key_arn                  = module.security.kms_key_arn
  alarm_emails                 = var.monitoring.alarm_emails
  stream_name                  = module.streaming.stream_name
  iterator_age_threshold_ms    = var.monitoring.iterator_age_ms
  bucket_name                  = module.storage.bucket_name
  api_p99_latency_threshold_ms = var.monitoring.api_p99_latency_ms

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

  experiment = {
    id       = var.experiment.id
    route    = var.experiment.route
    variants = sort(keys(var.ab_variants))
  }

  redis = {
    replication_group_id = module.storage.redis_replication_group_id
    nodes                = var.storage.redis_replicas
  }

  table_names = merge(
    {
      interactions  = module.storage.interactions_table_name
      user-profiles = module.storage.user_profiles_table_name
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
