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

variable "jar_path" {
  description = "Path of the shaded api-lambda jar built by Maven."
  type        = string

  validation {
    condition     = fileexists(var.jar_path)
    error_message = "The api-lambda jar does not exist: build it first (./mvnw -pl api-lambda -am package)."
  }
}

variable "handler" {
  description = "Lambda handler of the API function."
  type        = string
  default     = "dev.recsys.api.lambda.ApiHandler::handleRequest"
}

variable "memory_mb" {
  description = "Function memory."
  type        = number
  default     = 1024
}

variable "timeout_seconds" {
  description = "Function timeout; API Gateway gives up at 29 s, the API's own budget is far lower."
  type        = number
  default     = 10
}

variable "reserved_concurrency" {
  description = "Reserved concurrency; -1 leaves the function unreserved."
  type        = number
  default     = 100
}

variable "subnet_ids" {
  description = "Private subnets for the function's ENIs (Redis is only reachable there)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the function's ENIs."
  type        = string
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

variable "experiment_id" {
  description = "Id of the running A/B experiment (RECSYS_EXPERIMENT): the assignment salt and the experiment exposures are recorded under."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_.:@/+=-]{0,127}$", var.experiment_id))
    error_message = "experiment_id must be an id (common/…/event/EventLimits.ID)."
  }
}

variable "exposure_queue_capacity" {
  description = "Exposures queued per instance before new ones are dropped and counted (RECSYS_EXPOSURE_QUEUE); null keeps the handler's default (20000)."
  type        = number
  default     = null

  validation {
    condition     = var.exposure_queue_capacity == null || try(var.exposure_queue_capacity >= 1 && floor(var.exposure_queue_capacity) == var.exposure_queue_capacity, false)
    error_message = "exposure_queue_capacity must be a positive integer or null."
  }
}

variable "exposure_linger_ms" {
  description = "How long a queued exposure waits for a fuller PutRecords batch (RECSYS_EXPOSURE_LINGER_MS); null keeps the handler's default (50)."
  type        = number
  default     = null

  validation {
    condition     = var.exposure_linger_ms == null || try(var.exposure_linger_ms >= 0 && var.exposure_linger_ms <= 1000 && floor(var.exposure_linger_ms) == var.exposure_linger_ms, false)
    error_message = "exposure_linger_ms must be an integer between 0 and 1000 or null."
  }
}

variable "redis_url" {
  description = "rediss:// URL of the cache (no credentials)."
  type        = string
}

variable "redis_auth_token" {
  description = "Redis AUTH token (RECSYS_REDIS_AUTH_TOKEN, encrypted with the stack key at rest)."
  type        = string
  sensitive   = true
}

variable "variant_campaign_arns" {
  description = "A/B variant => {weight, campaign ARN} for user recommendations."
  type        = map(object({ weight = number, campaign_arn = string }))
}

variable "similar_items_campaign_arn" {
  description = "Campaign ARN for GET /items/{itemId}/similar; null answers from the fallback list."
  type        = string
  default     = null
}

variable "ranking_campaign_arn" {
  description = "Campaign ARN for POST /rankings; null answers from the fallback list."
  type        = string
  default     = null
}

variable "fallback_static_items" {
  description = "Item ids served until the training pipeline publishes the popular-items list."
  type        = list(string)

  validation {
    condition     = length(var.fallback_static_items) >= 1
    error_message = "At least one fallback item id is required."
  }
}

variable "extra_environment" {
  description = "Additional environment variables for the function."
  type        = map(string)
  default     = {}
}

variable "api_clients" {
  description = "Client names; each gets an API key on the usage plan."
  type        = set(string)
}

variable "throttle_rate" {
  description = "Requests per second per key and per method."
  type        = number
}

variable "throttle_burst" {
  description = "Burst per key and per method."
  type        = number
}

variable "quota_per_day" {
  description = "Requests per key per day."
  type        = number
}

variable "cache_ttl_seconds" {
  description = "Stage cache TTL for the cacheable GET routes; 0 disables the stage cache."
  type        = number
  default     = 0
}

variable "manage_apigateway_account" {
  description = "Set the account-wide API Gateway CloudWatch role (a per-region singleton)."
  type        = bool
  default     = true
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
