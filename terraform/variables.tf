# ---------------------------------------------------------------------------------------------
# Identity
# ---------------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix of every resource (also the KCL application name prefix). Lower case, starts with a letter."
  type        = string
  default     = "recsys"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name))
    error_message = "name must be 3-20 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "environment" {
  description = "Deployment environment; selects safe defaults (deletion protection, retention) in examples/."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "region" {
  description = "AWS region to deploy into. It must offer Amazon Personalize."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like eu-west-1."
  }
}

variable "tags" {
  description = "Extra tags merged into the provider's default tags."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR of the VPC. Private subnets take the first /20s, public subnets (NAT mode) the last."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 18
    error_message = "vpc_cidr must be a valid IPv4 CIDR of /18 or larger."
  }
}

variable "az_count" {
  description = "Availability zones to spread subnets, Redis replicas and tasks over (2 or 3)."
  type        = number
  default     = 2

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3 (Redis multi-AZ needs at least 2)."
  }
}

variable "egress_mode" {
  description = "How private subnets reach AWS APIs: \"endpoints\" (VPC endpoints only, no internet) or \"nat\" (NAT gateways; gateway endpoints are kept because they are free)."
  type        = string
  default     = "endpoints"

  validation {
    condition     = contains(["endpoints", "nat"], var.egress_mode)
    error_message = "egress_mode must be \"endpoints\" or \"nat\"."
  }
}

variable "single_nat_gateway" {
  description = "In NAT mode, use one NAT gateway for all AZs (cheaper, not AZ-resilient)."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group."
  type        = number
  default     = 30
}

# ---------------------------------------------------------------------------------------------
# Streaming
# ---------------------------------------------------------------------------------------------

variable "kinesis_stream_mode" {
  description = "ON_DEMAND or PROVISIONED capacity for the interactions stream."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.kinesis_stream_mode)
    error_message = "kinesis_stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "kinesis_shard_count" {
  description = "Shard count in PROVISIONED mode; in ON_DEMAND mode the shard count to plan the fleet for (on-demand streams start with 4). Caps the consumer task count."
  type        = number
  default     = 4

  validation {
    condition     = var.kinesis_shard_count >= 1 && var.kinesis_shard_count <= 500 && floor(var.kinesis_shard_count) == var.kinesis_shard_count
    error_message = "kinesis_shard_count must be an integer between 1 and 500."
  }
}

variable "kinesis_retention_hours" {
  description = "Stream retention in hours: how long the fleet may be down before unread events are lost."
  type        = number
  default     = 168

  validation {
    condition     = var.kinesis_retention_hours >= 24 && var.kinesis_retention_hours <= 8760
    error_message = "kinesis_retention_hours must be between 24 and 8760."
  }
}

# ---------------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------------

variable "interactions_ttl_days" {
  description = "Days an interaction row lives in DynamoDB (the consumer writes the ttl attribute)."
  type        = number
  default     = 90

  validation {
    condition     = var.interactions_ttl_days >= 1
    error_message = "interactions_ttl_days must be at least 1."
  }
}

variable "raw_retention_days" {
  description = "Days raw/ interaction batches stay in S3 (they move to cheaper storage classes on the way)."
  type        = number
  default     = 365

  validation {
    condition     = var.raw_retention_days >= 120
    error_message = "raw_retention_days must be at least 120 (objects pass through STANDARD_IA at 30 days and GLACIER_IR at 90)."
  }
}

variable "dead_letter_retention_days" {
  description = "Days rejected records stay under dead-letter/ for inspection and replay."
  type        = number
  default     = 90

  validation {
    condition     = var.dead_letter_retention_days >= 7
    error_message = "dead_letter_retention_days must be at least 7."
  }
}

variable "deletion_protection" {
  description = "Protect DynamoDB tables and keep the bucket on destroy (force_destroy = !deletion_protection)."
  type        = bool
  default     = true
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"

  validation {
    condition     = startswith(var.redis_node_type, "cache.")
    error_message = "redis_node_type must be an ElastiCache node type such as cache.t4g.small."
  }
}

variable "redis_replicas" {
  description = "Cache clusters in the replication group (primary + replicas); at least 2 for multi-AZ failover."
  type        = number
  default     = 2

  validation {
    condition     = var.redis_replicas >= 2 && var.redis_replicas <= 6
    error_message = "redis_replicas must be between 2 and 6."
  }
}

# ---------------------------------------------------------------------------------------------
# Ingest fleet (kcl-consumer on ECS Fargate)
# ---------------------------------------------------------------------------------------------

variable "consumer_image_tag" {
  description = "Tag of the kcl-consumer image in the stack's ECR repository (tags are immutable: use the git sha or release version)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.consumer_image_tag)) && var.consumer_image_tag != "latest"
    error_message = "consumer_image_tag must be a valid, immutable image tag (not \"latest\")."
  }
}

variable "consumer_cpu" {
  description = "Fargate task CPU units for one consumer task."
  type        = number
  default     = 1024

  validation {
    condition     = contains([512, 1024, 2048, 4096], var.consumer_cpu)
    error_message = "consumer_cpu must be 512, 1024, 2048 or 4096."
  }
}

variable "consumer_memory" {
  description = "Fargate task memory (MiB) for one consumer task."
  type        = number
  default     = 2048

  validation {
    condition     = var.consumer_memory >= 1024 && var.consumer_memory <= 30720
    error_message = "consumer_memory must be between 1024 and 30720 MiB."
  }
}

variable "consumer_min_count" {
  description = "Minimum consumer tasks (2 keeps a warm standby to take over leases)."
  type        = number
  default     = 2

  validation {
    condition     = var.consumer_min_count >= 1 && var.consumer_min_count <= var.consumer_max_count
    error_message = "consumer_min_count must be at least 1 and not above consumer_max_count."
  }
}

variable "consumer_max_count" {
  description = "Maximum consumer tasks. A KCL worker beyond one per shard holds no lease, so this must not exceed kinesis_shard_count."
  type        = number
  default     = 4

  validation {
    condition     = var.consumer_max_count >= 1 && var.consumer_max_count <= var.kinesis_shard_count
    error_message = "consumer_max_count must be between 1 and kinesis_shard_count: a worker beyond one per shard sits idle."
  }
}

variable "consumer_iterator_age_target_ms" {
  description = "Autoscaling target for the stream's maximum iterator age (consumer lag), in ms."
  type        = number
  default     = 30000
}

variable "consumer_cpu_target_percent" {
  description = "Autoscaling target for the fleet's average CPU utilisation."
  type        = number
  default     = 60

  validation {
    condition     = var.consumer_cpu_target_percent >= 10 && var.consumer_cpu_target_percent <= 90
    error_message = "consumer_cpu_target_percent must be between 10 and 90."
  }
}

variable "consumer_use_enhanced_fan_out" {
  description = "Grant the consumer the enhanced fan-out (SubscribeToShard) permissions; the consumer's own config selects the retrieval mode."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------
# Artefacts
# ---------------------------------------------------------------------------------------------

variable "repo_root" {
  description = "Path of the Maven repository root holding the built jars; null means the parent directory of this Terraform root."
  type        = string
  default     = null
}

variable "artifact_version" {
  description = "Maven project version of the jars to deploy (api-lambda-<version>-lambda.jar etc.)."
  type        = string
  default     = "0.1.0-SNAPSHOT"
}

variable "artifact_overrides" {
  description = "Explicit artefact paths (api_lambda, training_lambda, glue_job jars; glue_script); unset keys use the Maven-built <repo_root>/<module>/target/<module>-<version>-lambda.jar (glue-job: -glue.jar) and glue-job/src/main/glue/GlueApp.scala."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.artifact_overrides) : contains(["api_lambda", "training_lambda", "glue_job", "glue_script"], k)])
    error_message = "artifact_overrides keys must be api_lambda, training_lambda, glue_job or glue_script."
  }
}

variable "asl_template_path" {
  description = "Path of the Step Functions ASL template shared with the offline runner; null means training-lambda/src/main/resources/statemachine/training-pipeline.asl.json under repo_root."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------
# Serving (api-lambda + API Gateway)
# ---------------------------------------------------------------------------------------------

variable "api_lambda_memory_mb" {
  description = "Memory of the recommendation API function (CPU scales with it)."
  type        = number
  default     = 1024

  validation {
    condition     = var.api_lambda_memory_mb >= 512 && var.api_lambda_memory_mb <= 10240
    error_message = "api_lambda_memory_mb must be between 512 and 10240."
  }
}

variable "api_reserved_concurrency" {
  description = "Reserved concurrency of the API function; -1 leaves it unreserved."
  type        = number
  default     = 100

  validation {
    condition     = var.api_reserved_concurrency == -1 || var.api_reserved_concurrency >= 1
    error_message = "api_reserved_concurrency must be -1 or at least 1."
  }
}

variable "api_clients" {
  description = "Names of API clients; each gets its own API key on the usage plan."
  type        = set(string)
  default     = ["default"]

  validation {
    condition     = length(var.api_clients) >= 1 && alltrue([for c in var.api_clients : can(regex("^[a-z0-9-]{1,32}$", c))])
    error_message = "api_clients needs at least one name of 1-32 characters a-z, 0-9, '-'."
  }
}

variable "api_throttle_rate" {
  description = "Steady-state requests per second allowed per API key (usage plan) and per stage method."
  type        = number
  default     = 200

  validation {
    condition     = var.api_throttle_rate > 0
    error_message = "api_throttle_rate must be positive."
  }
}

variable "api_throttle_burst" {
  description = "Burst size allowed per API key."
  type        = number
  default     = 400

  validation {
    condition     = var.api_throttle_burst >= 1
    error_message = "api_throttle_burst must be at least 1."
  }
}

variable "api_quota_per_day" {
  description = "Requests per API key per day."
  type        = number
  default     = 5000000
}

variable "api_cache_ttl_seconds" {
  description = "API Gateway cache TTL for GET responses; 0 disables the stage cache. It bounds how stale an answer may be after a new interaction (the consumer only invalidates Redis)."
  type        = number
  default     = 0

  validation {
    condition     = var.api_cache_ttl_seconds >= 0 && var.api_cache_ttl_seconds <= 300
    error_message = "api_cache_ttl_seconds must be between 0 and 300."
  }
}

variable "api_fallback_static_items" {
  description = "Item ids the API serves before the first training run publishes the popular-items list (and when Personalize is down)."
  type        = list(string)

  validation {
    condition     = length(var.api_fallback_static_items) >= 1 && alltrue([for i in var.api_fallback_static_items : can(regex("^[A-Za-z0-9_.:-]{1,256}$", i))])
    error_message = "api_fallback_static_items needs at least one item id (letters, digits, _ . : -)."
  }
}

variable "api_similar_items_campaign_arn" {
  description = "Override for the campaign behind GET /items/{itemId}/similar, e.g. one managed outside this stack; null (default) uses the pipeline's <name>-similar campaign (training_related_items_recipe_arn), or the fallback list when that is \"\"."
  type        = string
  default     = null

  validation {
    condition     = var.api_similar_items_campaign_arn == null || can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:campaign/", var.api_similar_items_campaign_arn))
    error_message = "api_similar_items_campaign_arn must be a Personalize campaign ARN."
  }
}

variable "api_ranking_campaign_arn" {
  description = "Override for the campaign behind POST /rankings, e.g. one managed outside this stack; null (default) uses the pipeline's <name>-ranking campaign (training_ranking_recipe_arn), or the fallback list when that is \"\"."
  type        = string
  default     = null

  validation {
    condition     = var.api_ranking_campaign_arn == null || can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:campaign/", var.api_ranking_campaign_arn))
    error_message = "api_ranking_campaign_arn must be a Personalize campaign ARN."
  }
}

variable "api_exposure_queue_capacity" {
  description = "Exposures the API queues per instance before dropping (and counting) new ones; null keeps the handler's default (20000)."
  type        = number
  default     = null

  validation {
    condition     = var.api_exposure_queue_capacity == null || try(var.api_exposure_queue_capacity >= 1 && floor(var.api_exposure_queue_capacity) == var.api_exposure_queue_capacity, false)
    error_message = "api_exposure_queue_capacity must be a positive integer or null."
  }
}

variable "api_exposure_linger_ms" {
  description = "How long a queued exposure waits for a fuller PutRecords batch; null keeps the handler's default (50 ms)."
  type        = number
  default     = null

  validation {
    condition     = var.api_exposure_linger_ms == null || try(var.api_exposure_linger_ms >= 0 && var.api_exposure_linger_ms <= 1000 && floor(var.api_exposure_linger_ms) == var.api_exposure_linger_ms, false)
    error_message = "api_exposure_linger_ms must be an integer between 0 and 1000 or null."
  }
}

variable "manage_apigateway_account" {
  description = "Set the account-wide API Gateway CloudWatch role (needed for access logs). Turn off if another stack in the account/region owns it."
  type        = bool
  default     = true
}

variable "ab_variants" {
  description = "A/B variants served by the API: variant name => traffic weight (percent) and Personalize recipe. Each variant gets its own solution and campaign, created by the training pipeline."
  type = map(object({
    weight     = number
    recipe_arn = string
  }))
  default = {
    a = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization-v2" }
    b = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization" }
  }

  validation {
    condition     = length(var.ab_variants) >= 1 && sum([for v in values(var.ab_variants) : v.weight]) == 100
    error_message = "ab_variants needs at least one variant and the weights must add up to 100."
  }

  validation {
    condition     = alltrue([for k, v in var.ab_variants : can(regex("^[a-z0-9]{1,8}$", k)) && can(regex("^arn:aws[a-z-]*:personalize:::recipe/", v.recipe_arn))])
    error_message = "Variant names are 1-8 characters a-z0-9 and recipe_arn must be a Personalize recipe ARN."
  }

  validation {
    condition     = length(setintersection(keys(var.ab_variants), ["similar", "ranking", "baseline"])) == 0
    error_message = "Variant names similar, ranking and baseline are reserved for the pipeline's related-items, ranking and popularity-baseline solutions."
  }
}

# ---------------------------------------------------------------------------------------------
# Experiments (the online loop: the API records exposures, the consumer attributes clicks and
# conversions to A/B arms and recomputes the results, the pipeline decides on them)
# ---------------------------------------------------------------------------------------------

variable "experiment_id" {
  description = "Id of the running A/B experiment: the API's assignment salt (RECSYS_EXPERIMENT), the key of its results and what the pipeline decides on (EXPERIMENT_ID). A new id reshuffles users and starts the statistics afresh."
  type        = string
  default     = "recs-ab-1"

  # common/…/event/EventLimits.ID, the pattern the API, the consumer and the pipeline check ids against.
  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_.:@/+=-]{0,127}$", var.experiment_id))
    error_message = "experiment_id must be an id: 1-128 characters of letters, digits and _ . : @ / + = -, starting with a letter or digit."
  }
}

variable "experiment_policy" {
  description = "What the training pipeline does with a winner: \"report\" (say it on SNS, change nothing) or \"promote\" (shift traffic to it by experiment_promote_step points per run, publishing config/experiment.json)."
  type        = string
  default     = "report"

  validation {
    condition     = contains(["report", "promote"], var.experiment_policy)
    error_message = "experiment_policy must be \"report\" or \"promote\"."
  }
}

variable "experiment_route" {
  description = "API route whose results the pipeline decides on (an exposure route of common/…/event/Exposure)."
  type        = string
  default     = "/users/{userId}/recommendations"

  validation {
    condition     = contains(["/users/{userId}/recommendations", "/recommendations", "/items/{itemId}/similar", "/rankings"], var.experiment_route)
    error_message = "experiment_route must be one of /users/{userId}/recommendations, /recommendations, /items/{itemId}/similar, /rankings."
  }
}

variable "experiment_promote_step" {
  description = "Percentage points of traffic moved to the winner per training run under experiment_policy = \"promote\"."
  type        = number
  default     = 25

  validation {
    condition     = var.experiment_promote_step >= 1 && var.experiment_promote_step <= 100 && floor(var.experiment_promote_step) == var.experiment_promote_step
    error_message = "experiment_promote_step must be an integer between 1 and 100."
  }
}

variable "experiment_control_variant" {
  description = "A/B variant the others are compared with; null (default) picks the variant with the popularity recipe (aws-popularity-count), else the first by name."
  type        = string
  default     = null

  validation {
    condition     = var.experiment_control_variant == null || contains(keys(var.ab_variants), coalesce(var.experiment_control_variant, "-"))
    error_message = "experiment_control_variant must be one of the ab_variants."
  }
}

variable "experiment_attribution_window" {
  description = "An interaction without recommendation_id is credited to the user's latest exposure showing its item within this window (Dropwizard duration: 30m, 2h)."
  type        = string
  default     = "30m"

  validation {
    condition     = can(regex("^[1-9][0-9]*(ms|s|m|h|d)$", var.experiment_attribution_window))
    error_message = "experiment_attribution_window must be a duration like 30m, 90s or 2h."
  }
}

variable "experiment_click_event_types" {
  description = "Event types counted as clicks of an exposure."
  type        = list(string)
  default     = ["click"]

  validation {
    condition     = length(var.experiment_click_event_types) >= 1 && alltrue([for t in var.experiment_click_event_types : can(regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", t))])
    error_message = "experiment_click_event_types needs at least one event type (a letter, then letters, digits, _ . -)."
  }
}

variable "experiment_conversion_event_types" {
  description = "Event types counted as conversions of an exposure."
  type        = list(string)
  default     = ["purchase"]

  validation {
    condition     = length(var.experiment_conversion_event_types) >= 1 && alltrue([for t in var.experiment_conversion_event_types : can(regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", t))])
    error_message = "experiment_conversion_event_types needs at least one event type (a letter, then letters, digits, _ . -)."
  }
}

variable "experiment_alpha" {
  description = "False-winner rate of the always-valid test, per comparison (DecisionConfig)."
  type        = number
  default     = 0.05

  validation {
    condition     = var.experiment_alpha > 0 && var.experiment_alpha <= 0.5
    error_message = "experiment_alpha must be in (0, 0.5]."
  }
}

variable "experiment_min_users" {
  description = "Users each arm needs before a winner can be declared."
  type        = number
  default     = 1000

  validation {
    condition     = var.experiment_min_users >= 2
    error_message = "experiment_min_users must be at least 2."
  }
}

variable "experiment_min_exposures" {
  description = "Exposures each arm needs before a winner can be declared."
  type        = number
  default     = 5000

  validation {
    condition     = var.experiment_min_exposures >= 1
    error_message = "experiment_min_exposures must be at least 1."
  }
}

variable "experiment_ttl_days" {
  description = "Days exposures and per-user experiment rows live in DynamoDB after their last change (results rows do not expire)."
  type        = number
  default     = 30

  validation {
    condition     = var.experiment_ttl_days >= 1
    error_message = "experiment_ttl_days must be at least 1."
  }
}

# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------

variable "training_schedule_expression" {
  description = "EventBridge Scheduler expression starting the training pipeline."
  type        = string
  default     = "cron(0 3 * * ? *)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.training_schedule_expression))
    error_message = "training_schedule_expression must be a rate(...) or cron(...) expression."
  }
}

variable "training_related_items_recipe_arn" {
  description = "Recipe of the related-items solution the pipeline trains, gates and serves as campaign <name>-similar (GET /items/{itemId}/similar); \"\" trains none."
  type        = string
  default     = "arn:aws:personalize:::recipe/aws-sims"

  validation {
    condition     = var.training_related_items_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.training_related_items_recipe_arn))
    error_message = "training_related_items_recipe_arn must be a Personalize recipe ARN (e.g. arn:aws:personalize:::recipe/aws-sims) or \"\"."
  }
}

variable "training_ranking_recipe_arn" {
  description = "Recipe of the personalized-ranking solution the pipeline trains, gates and serves as campaign <name>-ranking (POST /rankings); \"\" trains none."
  type        = string
  default     = "arn:aws:personalize:::recipe/aws-personalized-ranking-v2"

  validation {
    condition     = var.training_ranking_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.training_ranking_recipe_arn))
    error_message = "training_ranking_recipe_arn must be a Personalize recipe ARN (e.g. arn:aws:personalize:::recipe/aws-personalized-ranking-v2) or \"\"."
  }
}

variable "training_promotion_tolerance" {
  description = "Quality gate: a new solution version is promoted only if its NDCG@10 and precision@10 are not worse than the live version's by more than this fraction (0.02 = 2 %), and not below the popularity baseline of the same run."
  type        = number
  default     = 0.02

  validation {
    condition     = var.training_promotion_tolerance >= 0 && var.training_promotion_tolerance < 1
    error_message = "training_promotion_tolerance must be in [0, 1)."
  }
}

variable "glue_worker_type" {
  description = "Glue worker type of the data-preparation job."
  type        = string
  default     = "G.1X"

  validation {
    condition     = contains(["G.1X", "G.2X", "G.4X", "G.8X"], var.glue_worker_type)
    error_message = "glue_worker_type must be G.1X, G.2X, G.4X or G.8X."
  }
}

variable "glue_number_of_workers" {
  description = "Glue workers of the data-preparation job."
  type        = number
  default     = 2

  validation {
    condition     = var.glue_number_of_workers >= 2
    error_message = "glue_number_of_workers must be at least 2."
  }
}

# ---------------------------------------------------------------------------------------------
# Monitoring
# ---------------------------------------------------------------------------------------------

variable "alarm_emails" {
  description = "E-mail addresses subscribed to alarms and training notifications (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails must be e-mail addresses."
  }
}

variable "log_retention_days" {
  description = "Retention of the application log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "alarm_iterator_age_ms" {
  description = "Alarm when the stream's maximum iterator age (consumer lag) stays above this many ms."
  type        = number
  default     = 120000
}

variable "alarm_api_p99_latency_ms" {
  description = "Alarm when the API's p99 latency stays above this many ms."
  type        = number
  default     = 500
}

# ---------------------------------------------------------------------------------------------
# Contracts with the application code (handlers and extra environment)
# ---------------------------------------------------------------------------------------------

variable "api_handler" {
  description = "Lambda handler of the recommendation API."
  type        = string
  default     = "dev.recsys.api.lambda.ApiHandler::handleRequest"
}

variable "training_handler" {
  description = "Lambda handler of the training task function."
  type        = string
  default     = "dev.recsys.training.TrainingHandler::handleRequest"
}

variable "consumer_event_tracking_id" {
  description = "Personalize event tracker id for real-time PutEvents. The first training run creates the tracker; set this and apply again. Empty disables forwarding."
  type        = string
  default     = ""

  validation {
    condition     = var.consumer_event_tracking_id == "" || can(regex("^[A-Za-z0-9-]{1,256}$", var.consumer_event_tracking_id))
    error_message = "consumer_event_tracking_id must be empty or a Personalize tracking id."
  }
}

variable "consumer_extra_environment" {
  description = "Extra environment variables for the kcl-consumer container (tuning knobs of consumer.yml)."
  type        = map(string)
  default     = {}
}

variable "api_extra_environment" {
  description = "Extra environment variables for the API function (cache TTL, timeouts, CORS origins...)."
  type        = map(string)
  default     = {}
}

variable "training_extra_environment" {
  description = "Extra environment variables for the training function."
  type        = map(string)
  default     = {}
}
