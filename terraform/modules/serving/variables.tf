# Shared inputs of the stack (the same plain variables in every module): name, region, account_id, partition,
# kms_key_arn, log_retention_days, contract_file.

variable "name" {
  description = "Name prefix of the stack."
  type        = string
}

variable "region" {
  description = "Region of the stack."
  type        = string
}

variable "account_id" {
  description = "AWS account id."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
  default     = "aws"
}

variable "kms_key_arn" {
  description = "KMS key of the stack (logs, environment variables, artefact object)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the function, access and execution log groups."
  type        = number
  default     = 30
}

variable "contract_file" {
  description = "Contract JSON the cross-module names are read from (modules/contract); null means the repository's common/contract/recsys-contract.json. Tests point it at a renamed copy to prove every name comes from it."
  type        = string
  default     = null
}

# The artefact the root builds the path of (from its `artifacts` object).
variable "jar_path" {
  description = "Path of the shaded api-lambda jar built by Maven."
  type        = string

  validation {
    condition     = fileexists(var.jar_path)
    error_message = "The api-lambda jar does not exist: build it first (./mvnw -pl api-lambda -am package)."
  }
}

# The module's settings (the root passes its `api` object merged with its `experiment` object; the api object's
# campaign overrides are resolved by the root into `campaigns`).
variable "settings" {
  description = <<-EOT
    fallback_static_items: item ids served until the training pipeline publishes the popular-items list.
    handler: Lambda handler of the API function. memory_mb: function memory. timeout_seconds: function timeout
    (API Gateway gives up at 29 s, the API's own budget is far lower). reserved_concurrency: -1 leaves the
    function unreserved. clients: client names, each gets an API key on the usage plan. throttle_rate /
    throttle_burst: requests per second and burst per key and per method. quota_per_day: requests per key per
    day. cache_ttl_seconds: stage cache TTL for the cacheable GET routes (0 disables the stage cache).
    exposure_queue_capacity: exposures queued per instance before new ones are dropped and counted
    (RECSYS_EXPOSURE_QUEUE; null keeps the handler's default, 20000). exposure_linger_ms: how long a queued
    exposure waits for a fuller PutRecords batch (RECSYS_EXPOSURE_LINGER_MS; null keeps the handler's default,
    50). manage_apigateway_account: set the account-wide API Gateway CloudWatch role (a per-region singleton).
    waf_rate_limit: requests per client IP per 5 minutes before the stage's WAF blocks that IP (waf.tf).
    cors_origins: web app origins (scheme://host[:port], or "*") whose pages may call the API (RECSYS_CORS_ORIGINS:
    the handler answers preflights and requests with CORS headers for these only; empty: no browser access). With
    one origin (or "*") the gateway's own errors (401, 403, 429, 5xx) carry it too, so a page can read them.
    extra_environment: additional function variables. experiment.id: id of the running A/B experiment
    (RECSYS_EXPERIMENT), the assignment salt and the experiment exposures are recorded under.
    auth: caller identity (auth.tf). callback_urls / logout_urls (required, at least one callback): the end-user
    client's redirect URLs (https, or http://localhost for development). user_pool_arn: an existing pool to add
    the resource server and clients to (null creates <name>-users). user_claim: the access-token claim naming the
    user (RECSYS_AUTH_USER_CLAIM). domain_prefix: a Cognito hosted domain (<prefix>.auth.<region>.amazoncognito.com;
    null: none, and no token_endpoint output). deletion_protection, advanced_security_mode (OFF, AUDIT or ENFORCED;
    not OFF needs the pool's Plus tier) and admin_create_user_only: of the pool this module creates.
    promotions: slots reserved in model answers for items a filter selects (Personalize's promotions; RECSYS_PROMOTIONS):
    name, filter (a name of var.filters), percent of the slots (1..100), filter_values for its $PARAMs, routes (keys of
    the contract's api.routes; null: the user-recommendation routes); at most one promotion per route.
  EOT
  type = object({
    fallback_static_items     = list(string)
    handler                   = optional(string, "dev.recsys.api.lambda.ApiHandler::handleRequest")
    memory_mb                 = optional(number, 1024)
    timeout_seconds           = optional(number, 10)
    reserved_concurrency      = optional(number, 100)
    clients                   = set(string)
    throttle_rate             = number
    throttle_burst            = number
    quota_per_day             = number
    cache_ttl_seconds         = optional(number, 0)
    exposure_queue_capacity   = optional(number)
    exposure_linger_ms        = optional(number)
    manage_apigateway_account = optional(bool, true)
    waf_rate_limit            = optional(number, 2000)
    cors_origins              = optional(list(string), [])
    extra_environment         = optional(map(string), {})
    promotions = optional(list(object({
      name          = string
      filter        = string
      percent       = number
      filter_values = optional(map(list(string)))
      routes        = optional(list(string))
    })), [])
    experiment = object({ id = string })
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
  nullable = false

  validation {
    condition     = alltrue([for p in var.settings.promotions : contains(keys(var.filters.definitions), p.filter)])
    error_message = "settings.promotions: every promotion's filter must be one of var.filters.definitions."
  }

  validation {
    condition     = length(var.settings.fallback_static_items) >= 1
    error_message = "settings.fallback_static_items: at least one fallback item id is required."
  }

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_.:@/+=-]{0,127}$", var.settings.experiment.id))
    error_message = "settings.experiment.id must be an id (common/…/event/EventLimits.ID)."
  }

  validation {
    condition = length(var.settings.auth.callback_urls) >= 1 && alltrue([for u in concat(var.settings.auth.callback_urls, var.settings.auth.logout_urls) :
    can(regex("^(https://[^\\s]+|http://localhost(:[0-9]+)?(/[^\\s]*)?)$", u))])
    error_message = "settings.auth.callback_urls needs at least one URL; callback and logout URLs must be https:// (or http://localhost)."
  }

  validation {
    condition     = var.settings.auth.user_pool_arn == null || can(regex("^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[A-Za-z0-9]+$", var.settings.auth.user_pool_arn))
    error_message = "settings.auth.user_pool_arn must be a Cognito user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>) or null."
  }

  validation {
    condition     = var.settings.auth.user_claim == null || can(regex("^[A-Za-z][A-Za-z0-9_:.-]{0,63}$", coalesce(var.settings.auth.user_claim, "-")))
    error_message = "settings.auth.user_claim must be a token claim name (e.g. username, sub)."
  }

  validation {
    condition     = var.settings.auth.domain_prefix == null || can(regex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", var.settings.auth.domain_prefix))
    error_message = "settings.auth.domain_prefix must be lower-case letters, digits and hyphens (not at either end), or null."
  }

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.settings.auth.advanced_security_mode)
    error_message = "settings.auth.advanced_security_mode must be OFF, AUDIT or ENFORCED."
  }

  validation {
    condition     = alltrue([for o in var.settings.cors_origins : o == "*" || can(regex("^https?://[a-z0-9.-]+(:[0-9]{1,5})?$", o))])
    error_message = "settings.cors_origins: each entry must be an origin, scheme://host[:port] in lower case with no path (e.g. https://app.example.com), or \"*\"."
  }

  # WAF's bounds for a rate-based rule over a 5-minute window.
  validation {
    condition     = var.settings.waf_rate_limit >= 10 && var.settings.waf_rate_limit <= 2000000000 && floor(var.settings.waf_rate_limit) == var.settings.waf_rate_limit
    error_message = "settings.waf_rate_limit must be an integer between 10 and 2000000000 (requests per IP per 5 minutes)."
  }

  validation {
    condition     = var.settings.exposure_queue_capacity == null || try(var.settings.exposure_queue_capacity >= 1 && floor(var.settings.exposure_queue_capacity) == var.settings.exposure_queue_capacity, false)
    error_message = "settings.exposure_queue_capacity must be a positive integer or null."
  }

  validation {
    condition     = var.settings.exposure_linger_ms == null || try(var.settings.exposure_linger_ms >= 0 && var.settings.exposure_linger_ms <= 1000 && floor(var.settings.exposure_linger_ms) == var.settings.exposure_linger_ms, false)
    error_message = "settings.exposure_linger_ms must be an integer between 0 and 1000 or null."
  }
}

# Wiring: outputs of the network, storage, streaming, security and training modules.
variable "vpc" {
  description = "Private subnets and security group of the function's ENIs (Redis is only reachable there)."
  type        = object({ subnet_ids = list(string), security_group_id = string })
}

variable "bucket" {
  description = "Name and ARN of the data bucket (artefact upload; the published documents under config/)."
  type        = object({ name = string, arn = string })
}

variable "user_profiles_table" {
  description = "Name and ARN of the user_profiles table (cold-start detection)."
  type        = object({ name = string, arn = string })
}

variable "interactions_table" {
  description = "Name and ARN of the interactions table (is a seed item known? on its ItemIndex)."
  type        = object({ name = string, arn = string })
}

variable "items_table" {
  description = "Name and ARN of the catalog table (fallback answers are filtered with it; item metadata is read from it)."
  type        = object({ name = string, arn = string })
}

variable "users_table" {
  description = "Name and ARN of the user metadata table (read for the IF CurrentUser conditions of filters on fallback answers)."
  type        = object({ name = string, arn = string })
}

variable "interactions_time_index" {
  description = "The interactions table's local index by event time (a user's latest events: fallback filters on Interactions)."
  type        = string
}

variable "filters" {
  description = "The named filters the API applies by name (?filter=): name => {arn (the Personalize filter the pipeline creates), expression}; default_user_filter: the one user recommendations apply when the request names none (\"\": none)."
  type = object({
    definitions         = map(object({ arn = string, expression = string }))
    default_user_filter = optional(string, "")
  })
  default  = { definitions = {} }
  nullable = false

  validation {
    condition     = var.filters.default_user_filter == "" || contains(keys(var.filters.definitions), var.filters.default_user_filter)
    error_message = "filters.default_user_filter must name one of filters.definitions, or be \"\"."
  }

  validation {
    condition     = alltrue([for k, f in var.filters.definitions : can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:filter/", f.arn))])
    error_message = "Every filter's arn must be a Personalize filter ARN."
  }
}

variable "interactions_item_index" {
  description = "Keys-only global index of the interactions table by item (storage output interactions_item_index_name)."
  type        = string
}

variable "experiments_table" {
  description = "Name and ARN of the experiments (results) table GET /experiments reads."
  type        = object({ name = string, arn = string })
}

variable "exposure_stream" {
  description = "The stream every answer is recorded on as an exposure (the interactions stream) and its customer-managed KMS key."
  type        = object({ name = string, arn = string, kms_key_arn = string })
}

variable "redis" {
  description = "The cache: url (rediss://, no credentials), cache (replication group name = id and arn) and user (the API's ElastiCache user: id and arn). The function connects as that user with IAM tokens it signs itself (elasticache:Connect); no password exists."
  type = object({
    url   = string
    cache = object({ name = string, arn = string })
    user  = object({ id = string, arn = string })
  })

  validation {
    condition     = startswith(var.redis.url, "rediss://")
    error_message = "redis.url must be rediss:// (IAM authentication needs in-transit encryption)."
  }
}

variable "campaigns" {
  description = "Personalize campaigns the function calls: variants (A/B variant => {weight, campaign ARN}) for user recommendations, similar_items for GET /items/{itemId}/similar, ranking for POST /rankings and trending for GET /trending (null answers those routes from the fallback list)."
  type = object({
    variants      = map(object({ weight = number, campaign_arn = string }))
    similar_items = optional(string)
    ranking       = optional(string)
    trending      = optional(string)
  })
}
