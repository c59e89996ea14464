# Inputs of the stack, one object per module (network, streaming, storage, consumer, api, training,
# monitoring), plus the experiment and the artefacts. Every field has a default except the two a
# deployment must choose: consumer.image_tag and api.fallback_static_items. See examples/.
#
# main.tf hands each object to its module as that module's `settings` (merged with what the module needs of the
# others). The modules are meant to be used on their own (tests/ exercises each one directly), so each validates
# its own settings; the validations here are the root's and stay: an error names the input a deployment sets, and
# some are stricter than the module's (e.g. storage.redis_replicas <= 6, streaming.shard_count an integer <= 500).

variable "name" {
  description = "Name prefix of every resource (also the KCL application name prefix). Lower case, starts with a letter."
  type        = string
  default     = "recsys"
  nullable    = false

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
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like eu-west-1."
  }
}

variable "tags" {
  description = "Extra tags merged into the provider's default tags."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "log_retention_days" {
  description = "Retention of the application log groups."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "network" {
  description = <<-EOT
    VPC (modules/network). vpc_cidr: private subnets take the first /20s, public subnets (NAT mode) the last.
    az_count: AZs to spread subnets, Redis replicas and tasks over (2 or 3). egress_mode: how private subnets
    reach AWS APIs, "endpoints" (VPC endpoints only, no internet) or "nat" (NAT gateways; the free gateway
    endpoints are kept). single_nat_gateway: in NAT mode one gateway for all AZs (cheaper, not AZ-resilient).
    flow_log_retention_days: retention of the VPC flow log group.
  EOT
  type = object({
    vpc_cidr                = optional(string, "10.40.0.0/16")
    az_count                = optional(number, 2)
    egress_mode             = optional(string, "endpoints")
    single_nat_gateway      = optional(bool, false)
    flow_log_retention_days = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(cidrnetmask(var.network.vpc_cidr)) && tonumber(split("/", var.network.vpc_cidr)[1]) <= 18
    error_message = "network.vpc_cidr must be a valid IPv4 CIDR of /18 or larger."
  }

  validation {
    condition     = contains([2, 3], var.network.az_count)
    error_message = "network.az_count must be 2 or 3 (Redis multi-AZ needs at least 2)."
  }

  validation {
    condition     = contains(["endpoints", "nat"], var.network.egress_mode)
    error_message = "network.egress_mode must be \"endpoints\" or \"nat\"."
  }
}

variable "streaming" {
  description = <<-EOT
    Interactions stream (modules/streaming). mode: ON_DEMAND or PROVISIONED capacity. shard_count: shards in
    PROVISIONED mode; in ON_DEMAND mode the shard count to plan the fleet for (on-demand streams start with 4);
    caps the consumer task count. retention_hours: how long the fleet may be down before unread events are lost.
  EOT
  type = object({
    mode            = optional(string, "ON_DEMAND")
    shard_count     = optional(number, 4)
    retention_hours = optional(number, 168)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.streaming.mode)
    error_message = "streaming.mode must be ON_DEMAND or PROVISIONED."
  }

  validation {
    condition     = var.streaming.shard_count >= 1 && var.streaming.shard_count <= 500 && floor(var.streaming.shard_count) == var.streaming.shard_count
    error_message = "streaming.shard_count must be an integer between 1 and 500."
  }

  validation {
    condition     = var.streaming.retention_hours >= 24 && var.streaming.retention_hours <= 8760
    error_message = "streaming.retention_hours must be between 24 and 8760."
  }
}

variable "storage" {
  description = <<-EOT
    Tables, bucket and cache (modules/storage). interactions_ttl_days: days an interaction row lives in DynamoDB
    (the consumer writes the ttl attribute). raw_retention_days: days raw/ batches stay in S3 (through STANDARD_IA
    at 30 days and GLACIER_IR at 90). dead_letter_retention_days: days rejected records stay under dead-letter/.
    deletion_protection: protect the tables and keep the bucket on destroy (force_destroy = !deletion_protection).
    redis_node_type: ElastiCache node type. redis_replicas: cache clusters (primary + replicas), at least 2 for
    multi-AZ failover.
  EOT
  type = object({
    interactions_ttl_days      = optional(number, 90)
    raw_retention_days         = optional(number, 365)
    dead_letter_retention_days = optional(number, 90)
    deletion_protection        = optional(bool, true)
    redis_node_type            = optional(string, "cache.t4g.small")
    redis_replicas             = optional(number, 2)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.storage.interactions_ttl_days >= 1
    error_message = "storage.interactions_ttl_days must be at least 1."
  }

  validation {
    condition     = var.storage.raw_retention_days >= 120
    error_message = "storage.raw_retention_days must be at least 120 (objects pass through STANDARD_IA at 30 days and GLACIER_IR at 90)."
  }

  validation {
    condition     = var.storage.dead_letter_retention_days >= 7
    error_message = "storage.dead_letter_retention_days must be at least 7."
  }

  validation {
    condition     = startswith(var.storage.redis_node_type, "cache.")
    error_message = "storage.redis_node_type must be an ElastiCache node type such as cache.t4g.small."
  }

  validation {
    condition     = var.storage.redis_replicas >= 2 && var.storage.redis_replicas <= 6
    error_message = "storage.redis_replicas must be between 2 and 6."
  }
}

variable "consumer" {
  description = <<-EOT
    kcl-consumer fleet on ECS Fargate (modules/ingest-fleet). image_tag (required): tag of the image in the
    stack's ECR repository (immutable: the git sha or release version, never "latest"). cpu / memory: Fargate
    task size. min_count: minimum tasks (2 keeps a warm standby to take over leases). max_count: a KCL worker
    beyond one per shard holds no lease, so at most streaming.shard_count. iterator_age_target_ms and
    cpu_target_percent: autoscaling targets (consumer lag, average CPU). use_enhanced_fan_out: grant the
    SubscribeToShard permissions (the consumer's own config selects the retrieval mode). event_tracking_id:
    Personalize event tracker for real-time PutEvents (the first training run creates it; set it and apply
    again; "" disables forwarding). extra_environment: extra container variables (consumer.yml knobs).
  EOT
  type = object({
    image_tag              = string
    cpu                    = optional(number, 1024)
    memory                 = optional(number, 2048)
    min_count              = optional(number, 2)
    max_count              = optional(number, 4)
    iterator_age_target_ms = optional(number, 30000)
    cpu_target_percent     = optional(number, 60)
    use_enhanced_fan_out   = optional(bool, false)
    event_tracking_id      = optional(string, "")
    extra_environment      = optional(map(string), {})
  })

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.consumer.image_tag)) && var.consumer.image_tag != "latest"
    error_message = "consumer.image_tag must be a valid, immutable image tag (not \"latest\")."
  }

  validation {
    condition     = contains([512, 1024, 2048, 4096], var.consumer.cpu)
    error_message = "consumer.cpu must be 512, 1024, 2048 or 4096."
  }

  validation {
    condition     = var.consumer.memory >= 1024 && var.consumer.memory <= 30720
    error_message = "consumer.memory must be between 1024 and 30720 MiB."
  }

  validation {
    condition     = var.consumer.min_count >= 1 && var.consumer.min_count <= var.consumer.max_count
    error_message = "consumer.min_count must be at least 1 and not above consumer.max_count."
  }

  validation {
    condition     = var.consumer.max_count >= 1 && var.consumer.max_count <= var.streaming.shard_count
    error_message = "consumer.max_count must be between 1 and streaming.shard_count: a worker beyond one per shard sits idle."
  }

  validation {
    condition     = var.consumer.cpu_target_percent >= 10 && var.consumer.cpu_target_percent <= 90
    error_message = "consumer.cpu_target_percent must be between 10 and 90."
  }

  validation {
    condition     = var.consumer.event_tracking_id == "" || can(regex("^[A-Za-z0-9-]{1,256}$", var.consumer.event_tracking_id))
    error_message = "consumer.event_tracking_id must be empty or a Personalize tracking id."
  }
}

variable "artifacts" {
  description = <<-EOT
    What gets deployed. repo_root: the Maven repository root holding the built jars (null: the parent directory of
    this Terraform root). version: Maven project version of the jars (api-lambda-<version>-lambda.jar etc.).
    overrides: explicit paths for api_lambda, training_lambda, glue_job (jars) and glue_script; unset keys use
    <repo_root>/<module>/target/<module>-<version>-lambda.jar (glue-job: -glue.jar) and
    glue-job/src/main/glue/GlueApp.scala. asl_template_path: the Step Functions ASL template shared with the
    offline runner (null: training-lambda/src/main/resources/statemachine/training-pipeline.asl.json).
  EOT
  type = object({
    repo_root         = optional(string)
    version           = optional(string, "0.1.0-SNAPSHOT")
    overrides         = optional(map(string), {})
    asl_template_path = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.artifacts.overrides) : contains(["api_lambda", "training_lambda", "glue_job", "glue_script"], k)])
    error_message = "artifacts.overrides keys must be api_lambda, training_lambda, glue_job or glue_script."
  }
}

variable "api" {
  description = <<-EOT
    Recommendation API: api-lambda behind API Gateway (modules/serving). fallback_static_items (required): item ids
    served before the first training run publishes the popular-items list (and when Personalize is down).
    handler, memory_mb (CPU scales with it), reserved_concurrency (-1: unreserved). clients: one API key each on
    the usage plan. throttle_rate / throttle_burst: per key and per stage method; quota_per_day per key.
    cache_ttl_seconds: stage cache TTL for GET responses (0 disables it; it bounds how stale an answer may be
    after a new interaction, the consumer only invalidates Redis). similar_items_campaign_arn /
    ranking_campaign_arn: overrides for GET /items/{itemId}/similar and POST /rankings, e.g. campaigns managed
    outside this stack; null uses the pipeline's <name>-similar / <name>-ranking campaign (or the fallback list
    when its training recipe is ""). exposure_queue_capacity / exposure_linger_ms: the handler's exposure queue
    (null keeps its defaults, 20000 and 50 ms). manage_apigateway_account: set the account-wide API Gateway
    CloudWatch role (turn off if another stack in the account/region owns it). waf_rate_limit: requests per client
    IP per 5 minutes before the API's WAF blocks that IP (default 2000). cors_origins: web app origins whose pages
    may call the API (default none; with exactly one, or "*", the gateway's own errors carry it too). extra_environment: extra
    function variables (cache TTL, timeouts, CORS origins...). auth (required): caller identity, a Cognito user pool
    (modules/serving auth.tf): callback_urls (at least one) and logout_urls of the end-user client, user_pool_arn
    (bring your own pool; null creates <name>-users), user_claim (token claim naming the user, default username),
    domain_prefix (hosted Cognito domain; null: none), deletion_protection, advanced_security_mode (OFF, AUDIT,
    ENFORCED: not OFF needs the Plus tier) and admin_create_user_only for the created pool. promotions: a share of the
    slots of model answers for items a filter selects (Personalize's promotions): name, filter (a key of
    filters.definitions), percent (1..100), filter_values for its $PARAMs, routes (null: user recommendations); one
    per route; answers mark promoted slots.
  EOT
  type = object({
    fallback_static_items      = list(string)
    handler                    = optional(string, "dev.recsys.api.lambda.ApiHandler::handleRequest")
    memory_mb                  = optional(number, 1024)
    reserved_concurrency       = optional(number, 100)
    clients                    = optional(set(string), ["default"])
    throttle_rate              = optional(number, 200)
    throttle_burst             = optional(number, 400)
    quota_per_day              = optional(number, 5000000)
    cache_ttl_seconds          = optional(number, 0)
    similar_items_campaign_arn = optional(string)
    ranking_campaign_arn       = optional(string)
    exposure_queue_capacity    = optional(number)
    exposure_linger_ms         = optional(number)
    manage_apigateway_account  = optional(bool, true)
    waf_rate_limit             = optional(number, 2000)
    cors_origins               = optional(list(string), [])
    extra_environment          = optional(map(string), {})
    promotions = optional(list(object({
      name          = string
      filter        = string
      percent       = number
      filter_values = optional(map(list(string)))
      routes        = optional(list(string))
    })), [])
    auth = object({
      callback_urls          = list(string)
      logout_urls            = optional(list(string), [])
      user_pool_arn          = optional(string)
      user_claim             = optional(string) # null: the contract's api.auth.default_user_claim (username)
      domain_prefix          = optional(string)
      deletion_protection    = optional(bool, true)
      advanced_security_mode = optional(string, "ENFORCED")
      admin_create_user_only = optional(bool, false)
    })
  })

  validation {
    condition     = length(var.api.fallback_static_items) >= 1 && alltrue([for i in var.api.fallback_static_items : can(regex("^[A-Za-z0-9_.:-]{1,256}$", i))])
    error_message = "api.fallback_static_items needs at least one item id (letters, digits, _ . : -)."
  }

  validation {
    condition     = alltrue([for p in var.api.promotions : can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$", p.name)) && p.percent >= 1 && p.percent <= 100 && floor(p.percent) == p.percent])
    error_message = "api.promotions: each needs a name of 1-63 characters [a-zA-Z0-9_-] and a whole percent in 1..100."
  }

  validation {
    condition     = var.api.memory_mb >= 512 && var.api.memory_mb <= 10240
    error_message = "api.memory_mb must be between 512 and 10240."
  }

  validation {
    condition     = var.api.reserved_concurrency == -1 || var.api.reserved_concurrency >= 1
    error_message = "api.reserved_concurrency must be -1 or at least 1."
  }

  validation {
    condition     = length(var.api.clients) >= 1 && alltrue([for c in var.api.clients : can(regex("^[a-z0-9-]{1,32}$", c))])
    error_message = "api.clients needs at least one name of 1-32 characters a-z, 0-9, '-'."
  }

  validation {
    condition     = var.api.throttle_rate > 0
    error_message = "api.throttle_rate must be positive."
  }

  validation {
    condition     = var.api.throttle_burst >= 1
    error_message = "api.throttle_burst must be at least 1."
  }

  validation {
    condition     = var.api.cache_ttl_seconds >= 0 && var.api.cache_ttl_seconds <= 300
    error_message = "api.cache_ttl_seconds must be between 0 and 300."
  }

  validation {
    condition     = var.api.similar_items_campaign_arn == null || can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:campaign/", var.api.similar_items_campaign_arn))
    error_message = "api.similar_items_campaign_arn must be a Personalize campaign ARN."
  }

  validation {
    condition     = var.api.ranking_campaign_arn == null || can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:campaign/", var.api.ranking_campaign_arn))
    error_message = "api.ranking_campaign_arn must be a Personalize campaign ARN."
  }

  validation {
    condition     = var.api.exposure_queue_capacity == null || try(var.api.exposure_queue_capacity >= 1 && floor(var.api.exposure_queue_capacity) == var.api.exposure_queue_capacity, false)
    error_message = "api.exposure_queue_capacity must be a positive integer or null."
  }

  validation {
    condition     = var.api.exposure_linger_ms == null || try(var.api.exposure_linger_ms >= 0 && var.api.exposure_linger_ms <= 1000 && floor(var.api.exposure_linger_ms) == var.api.exposure_linger_ms, false)
    error_message = "api.exposure_linger_ms must be an integer between 0 and 1000 or null."
  }
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
  nullable = false

  validation {
    condition     = length(var.ab_variants) >= 1 && sum([for v in values(var.ab_variants) : v.weight]) == 100
    error_message = "ab_variants needs at least one variant and the weights must add up to 100."
  }

  validation {
    condition     = alltrue([for k, v in var.ab_variants : can(regex("^[a-z0-9]{1,8}$", k)) && can(regex("^arn:aws[a-z-]*:personalize:::recipe/", v.recipe_arn))])
    error_message = "Variant names are 1-8 characters a-z0-9 and recipe_arn must be a Personalize recipe ARN."
  }

  validation {
    condition     = length(setintersection(keys(var.ab_variants), ["similar", "ranking", "trending", "baseline"])) == 0
    error_message = "Variant names similar, ranking, trending and baseline are reserved for the pipeline's related-items, ranking, trending and popularity-baseline solutions."
  }
}

variable "filters" {
  description = <<-EOT
    Named Personalize filters. definitions: filter name => expression in Personalize's filter language
    (INCLUDE|EXCLUDE ItemID WHERE Items.<FIELD> IN (...) | Interactions.EVENT_TYPE IN (...) ..., $PARAM placeholders
    take their values from the request's filter_values); the training pipeline creates each as the Personalize
    filter <name>-<filter>, and the API applies it by name (?filter=<filter>) to model and fallback answers alike. At
    most 10 (Personalize's quota per dataset group), names of 1-23 characters a-z, 0-9, '-'. default_user_filter: the
    filter user recommendations apply when the request names none ("" for none).
  EOT
  type = object({
    # null: the contract's (common/contract/recsys-contract.json filters), which drop what the user bought and what
    # the catalog marks unavailable; the offline demo deploys the same.
    definitions         = optional(map(string))
    default_user_filter = optional(string) # null: the contract's (exclude-purchased)
  })
  default  = {}
  nullable = false

  validation {
    condition = (var.filters.default_user_filter == "" || contains(keys(var.filters.definitions != null ? var.filters.definitions : module.contract.filters.definitions),
    var.filters.default_user_filter != null ? var.filters.default_user_filter : module.contract.filters.default_user_filter))
    error_message = "filters.default_user_filter must name one of filters.definitions (or of the contract's default filters when definitions is null), or be \"\" for none."
  }
}

variable "experiment" {
  description = <<-EOT
    The online A/B experiment: the API records exposures, the consumer attributes clicks and conversions to arms
    and recomputes the results, the pipeline decides on them. id: the API's assignment salt (RECSYS_EXPERIMENT),
    the key of its results and what the pipeline decides on (EXPERIMENT_ID); a new id reshuffles users and starts
    the statistics afresh (null: the contract's experiment.default_id, recs-ab-1). policy: what the pipeline does with a winner, "report" (say it on SNS, change nothing)
    or "promote" (shift promote_step points of traffic to it per run, publishing the split). route: the API route
    whose results count (an exposure route of the contract's api.routes; null: its experiment.default_route,
    /users/{userId}/recommendations). control_variant: the variant the others
    are compared with (null: the variant with the popularity recipe aws-popularity-count, else the first by name).
    attribution_window: an interaction without recommendation_id is credited to the user's latest exposure of its
    item within this window (Dropwizard duration: 30m, 2h). click_event_types / conversion_event_types: event
    types counted as clicks and conversions. alpha: false-winner rate of the always-valid test, per comparison.
    min_users / min_exposures: per arm before a winner can be declared. ttl_days: days exposures and per-user
    experiment rows live after their last change (results rows do not expire).
  EOT
  type = object({
    id                     = optional(string)
    policy                 = optional(string, "report")
    route                  = optional(string)
    promote_step           = optional(number, 25)
    control_variant        = optional(string)
    attribution_window     = optional(string, "30m")
    click_event_types      = optional(list(string), ["click"])
    conversion_event_types = optional(list(string), ["purchase"])
    alpha                  = optional(number, 0.05)
    min_users              = optional(number, 1000)
    min_exposures          = optional(number, 5000)
    ttl_days               = optional(number, 30)
  })
  default  = {}
  nullable = false

  # common/…/event/EventLimits.ID, the pattern the API, the consumer and the pipeline check ids against.
  validation {
    condition     = var.experiment.id == null || can(regex("^[A-Za-z0-9][A-Za-z0-9_.:@/+=-]{0,127}$", coalesce(var.experiment.id, "-")))
    error_message = "experiment.id must be an id: 1-128 characters of letters, digits and _ . : @ / + = -, starting with a letter or digit."
  }

  validation {
    condition     = contains(["report", "promote"], var.experiment.policy)
    error_message = "experiment.policy must be \"report\" or \"promote\"."
  }

  validation {
    condition     = var.experiment.route == null || contains([for r in values(module.contract.api.routes) : r.template if r.exposure], coalesce(var.experiment.route, "-"))
    error_message = "experiment.route must be an exposure route of the contract's api.routes: /users/{userId}/recommendations, /recommendations, /items/{itemId}/similar or /rankings."
  }

  validation {
    condition     = var.experiment.promote_step >= 1 && var.experiment.promote_step <= 100 && floor(var.experiment.promote_step) == var.experiment.promote_step
    error_message = "experiment.promote_step must be an integer between 1 and 100."
  }

  validation {
    condition     = var.experiment.control_variant == null || contains(keys(var.ab_variants), coalesce(var.experiment.control_variant, "-"))
    error_message = "experiment.control_variant must be one of the ab_variants."
  }

  validation {
    condition     = can(regex("^[1-9][0-9]*(ms|s|m|h|d)$", var.experiment.attribution_window))
    error_message = "experiment.attribution_window must be a duration like 30m, 90s or 2h."
  }

  validation {
    condition     = length(var.experiment.click_event_types) >= 1 && alltrue([for t in var.experiment.click_event_types : can(regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", t))])
    error_message = "experiment.click_event_types needs at least one event type (a letter, then letters, digits, _ . -)."
  }

  validation {
    condition     = length(var.experiment.conversion_event_types) >= 1 && alltrue([for t in var.experiment.conversion_event_types : can(regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", t))])
    error_message = "experiment.conversion_event_types needs at least one event type (a letter, then letters, digits, _ . -)."
  }

  validation {
    condition     = var.experiment.alpha > 0 && var.experiment.alpha <= 0.5
    error_message = "experiment.alpha must be in (0, 0.5]."
  }

  validation {
    condition     = var.experiment.min_users >= 2
    error_message = "experiment.min_users must be at least 2."
  }

  validation {
    condition     = var.experiment.min_exposures >= 1
    error_message = "experiment.min_exposures must be at least 1."
  }

  validation {
    condition     = var.experiment.ttl_days >= 1
    error_message = "experiment.ttl_days must be at least 1."
  }
}

variable "training" {
  description = <<-EOT
    Training pipeline (modules/training). handler: the task function's Lambda handler. schedule_expression:
    EventBridge Scheduler expression starting the pipeline. related_items_recipe_arn / ranking_recipe_arn: recipes
    of the related-items and personalized-ranking solutions the pipeline trains, gates and serves as campaigns
    <name>-similar (GET /items/{itemId}/similar) and <name>-ranking (POST /rankings); trending_recipe_arn: of the
    trending solution and campaign <name>-trending (GET /trending); "" trains none.
    promotion_tolerance: quality gate, a new solution version is promoted only if its NDCG@10 and precision@10 are
    not worse than the live version's by more than this fraction (0.02 = 2 %), and not below the popularity
    baseline of the same run. glue_worker_type / glue_number_of_workers: the data-preparation job.
    max_status_checks: status checks each Personalize wait loop (resources, import, training, campaign) makes
    before the run fails with <Stage>Timeout and says so on the topic. extra_environment: extra variables of the
    training function.
  EOT
  type = object({
    handler                  = optional(string, "dev.recsys.training.TrainingHandler::handleRequest")
    schedule_expression      = optional(string, "cron(0 3 * * ? *)")
    related_items_recipe_arn = optional(string) # null: common/contract's recipes.related_items (aws-sims)
    ranking_recipe_arn       = optional(string) # null: common/contract's recipes.ranking (aws-personalized-ranking-v2)
    trending_recipe_arn      = optional(string) # null: common/contract's recipes.trending (aws-trending-now)
    promotion_tolerance      = optional(number, 0.02)
    glue_worker_type         = optional(string, "G.1X")
    glue_number_of_workers   = optional(number, 2)
    extra_environment        = optional(map(string), {})
    # null keeps modules/training's defaults per stage (resources 60, import 120, training 96, campaign 60).
    max_status_checks = optional(object({
      resources = optional(number)
      import    = optional(number)
      training  = optional(number)
      campaign  = optional(number)
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.training.schedule_expression))
    error_message = "training.schedule_expression must be a rate(...) or cron(...) expression."
  }

  validation {
    condition     = var.training.related_items_recipe_arn == null ? true : var.training.related_items_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.training.related_items_recipe_arn))
    error_message = "training.related_items_recipe_arn must be a Personalize recipe ARN (e.g. arn:aws:personalize:::recipe/aws-sims) or \"\"."
  }

  validation {
    condition     = var.training.ranking_recipe_arn == null ? true : var.training.ranking_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.training.ranking_recipe_arn))
    error_message = "training.ranking_recipe_arn must be a Personalize recipe ARN (e.g. arn:aws:personalize:::recipe/aws-personalized-ranking-v2) or \"\"."
  }

  validation {
    condition     = var.training.trending_recipe_arn == null ? true : var.training.trending_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.training.trending_recipe_arn))
    error_message = "training.trending_recipe_arn must be a Personalize recipe ARN (e.g. arn:aws:personalize:::recipe/aws-trending-now) or \"\"."
  }

  validation {
    condition     = var.training.promotion_tolerance >= 0 && var.training.promotion_tolerance < 1
    error_message = "training.promotion_tolerance must be in [0, 1)."
  }

  validation {
    condition     = contains(["G.1X", "G.2X", "G.4X", "G.8X"], var.training.glue_worker_type)
    error_message = "training.glue_worker_type must be G.1X, G.2X, G.4X or G.8X."
  }

  validation {
    condition     = var.training.glue_number_of_workers >= 2
    error_message = "training.glue_number_of_workers must be at least 2."
  }
}

variable "monitoring" {
  description = <<-EOT
    Alarms and dashboard (modules/monitoring). alarm_emails: subscribed to alarms and training notifications (each
    must confirm the subscription). iterator_age_ms: alarm when the stream's maximum iterator age (consumer lag)
    stays above it. api_p99_latency_ms: alarm when the API's p99 latency stays above it.
  EOT
  type = object({
    alarm_emails       = optional(list(string), [])
    iterator_age_ms    = optional(number, 120000)
    api_p99_latency_ms = optional(number, 500)
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for e in var.monitoring.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "monitoring.alarm_emails must be e-mail addresses."
  }
}
