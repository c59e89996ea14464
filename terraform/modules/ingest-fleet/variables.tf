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
  description = "KMS key of the stack (stream, tables, bucket, logs, ECR, secret)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the consumer tasks."
  type        = string
}

variable "image_tag" {
  description = "Immutable tag of the kcl-consumer image in this module's ECR repository."
  type        = string
}

variable "cpu" {
  description = "Task CPU units."
  type        = number
  default     = 1024
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 2048
}

variable "min_count" {
  description = "Minimum number of tasks."
  type        = number
  default     = 2
}

variable "max_count" {
  description = "Maximum number of tasks; keep it at or below the shard count."
  type        = number
  default     = 4
}

variable "shard_count" {
  description = "Shard count the fleet is sized for (caps max_count)."
  type        = number

  validation {
    condition     = var.shard_count >= 1
    error_message = "shard_count must be at least 1."
  }
}

variable "iterator_age_target_ms" {
  description = "Target maximum iterator age (ms) for the lag-based scaling policy."
  type        = number
  default     = 30000
}

variable "cpu_target_percent" {
  description = "Target average CPU for the CPU-based scaling policy."
  type        = number
  default     = 60
}

variable "use_enhanced_fan_out" {
  description = "Grant enhanced fan-out permissions and select FANOUT retrieval."
  type        = bool
  default     = false
}

variable "stream_name" {
  description = "Name of the interactions stream."
  type        = string
}

variable "stream_arn" {
  description = "ARN of the interactions stream."
  type        = string
}

variable "application_name" {
  description = "KCL application name (= lease table name, = KCL CloudWatch namespace)."
  type        = string
}

variable "lease_table_arn" {
  description = "ARN of the KCL lease table."
  type        = string
}

variable "interactions_table" {
  description = "Name and ARN of the interactions table."
  type        = object({ name = string, arn = string })
}

variable "user_profiles_table" {
  description = "Name and ARN of the user_profiles table."
  type        = object({ name = string, arn = string })
}

variable "experiment_tables" {
  description = "Name and ARN of the online loop's tables (storage module output experiment_tables)."
  type = object({
    exposures        = object({ name = string, arn = string })
    experiment_users = object({ name = string, arn = string })
    experiments      = object({ name = string, arn = string })
  })
}

variable "exposure_time_index" {
  description = "Local index of the exposures table queried for the attribution window (storage output exposures_time_index_name)."
  type        = string
}

variable "experiment" {
  description = "Attribution and experiment statistics (consumer.yml experiments.*): attribution window and results interval as Dropwizard durations (30m, 1m), the event types counted as clicks and conversions, the control variant (\"\" = first by name), alpha, the minimum users and exposures per arm before a winner, and the days per-user rows and exposures live."
  type = object({
    attribution_window     = optional(string, "30m")
    click_event_types      = optional(list(string), ["click"])
    conversion_event_types = optional(list(string), ["purchase"])
    results_interval       = optional(string, "1m")
    control_variant        = optional(string, "")
    alpha                  = optional(number, 0.05)
    min_users              = optional(number, 1000)
    min_exposures          = optional(number, 5000)
    ttl_days               = optional(number, 30)
  })
  default = {}

  validation {
    condition = (alltrue([for d in [var.experiment.attribution_window, var.experiment.results_interval] : can(regex("^[1-9][0-9]*(ms|s|m|h|d)$", d))]) &&
      length(var.experiment.click_event_types) > 0 && length(var.experiment.conversion_event_types) > 0 &&
      var.experiment.alpha > 0 && var.experiment.alpha <= 0.5 && var.experiment.min_users >= 2 && var.experiment.min_exposures >= 1 &&
    var.experiment.ttl_days >= 1)
    error_message = "experiment: durations like 30m or 1m, at least one click and one conversion event type, alpha in (0, 0.5], min_users >= 2, min_exposures >= 1, ttl_days >= 1."
  }
}

variable "bucket" {
  description = "Name and ARN of the data bucket."
  type        = object({ name = string, arn = string })
}

variable "interaction_ttl_days" {
  description = "Days until an interaction row expires (the consumer writes ttl)."
  type        = number
  default     = 90
}

variable "redis_uri_secret_arn" {
  description = "Secrets Manager secret holding the full rediss:// URI with the AUTH token, injected as REDIS_URI."
  type        = string
}

variable "event_tracking_id" {
  description = "Personalize event tracker id (created by the training pipeline); empty disables real-time PutEvents."
  type        = string
  default     = ""
}

variable "extra_environment" {
  description = "Additional environment variables for the consumer container."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of the consumer log group."
  type        = number
  default     = 30
}

variable "ecr_keep_images" {
  description = "Images kept in ECR (older ones expire)."
  type        = number
  default     = 30
}

variable "contract_file" {
  description = "Contract JSON the cross-module names are read from (modules/contract); null means the repository's common/contract/recsys-contract.json. Tests point it at a renamed copy to prove every name comes from it."
  type        = string
  default     = null
}
