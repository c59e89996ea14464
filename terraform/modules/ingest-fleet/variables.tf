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
  description = "KMS key of the stack (stream, tables, bucket, logs, ECR, secret)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the consumer log group."
  type        = number
  default     = 30
}

variable "contract_file" {
  description = "Contract JSON the cross-module names are read from (modules/contract); null means the repository's common/contract/recsys-contract.json. Tests point it at a renamed copy to prove every name comes from it."
  type        = string
  default     = null
}

# The module's settings (the root passes its `consumer` object merged with the stream's shard_count, the
# storage's interactions_ttl_days and its `experiment` object with the resolved control variant).
variable "settings" {
  description = <<-EOT
    image_tag: immutable tag of the kcl-consumer image in this module's ECR repository. cpu / memory: task CPU
    units and memory (MiB). min_count / max_count: tasks (keep max_count at or below shard_count). shard_count:
    shard count the fleet is sized for (caps max_count). iterator_age_target_ms / cpu_target_percent: targets of
    the lag- and CPU-based scaling policies (the lag target is in ms of the consumer's own MillisBehindLatest
    metric, contract metrics.consumer_lag; the name is kept from when it tracked the stream's iterator age).
    use_enhanced_fan_out: grant enhanced fan-out permissions and select
    FANOUT retrieval. event_tracking_id: Personalize event tracker id (created by the training pipeline); empty
    disables real-time PutEvents. extra_environment: additional container variables. interactions_ttl_days: days
    until an interaction row expires (the consumer writes ttl). ecr_keep_images: images kept in ECR (older ones
    expire). experiment: attribution and experiment statistics (consumer.yml experiments.*), the attribution
    window and results interval as Dropwizard durations (30m, 1m), the event types counted as clicks and
    conversions, the control variant ("" = first by name), alpha, the minimum users and exposures per arm before
    a winner, and the days per-user rows and exposures live.
  EOT
  type = object({
    image_tag              = string
    cpu                    = optional(number, 1024)
    memory                 = optional(number, 2048)
    min_count              = optional(number, 2)
    max_count              = optional(number, 4)
    shard_count            = number
    iterator_age_target_ms = optional(number, 30000)
    cpu_target_percent     = optional(number, 60)
    use_enhanced_fan_out   = optional(bool, false)
    event_tracking_id      = optional(string, "")
    extra_environment      = optional(map(string), {})
    interactions_ttl_days  = optional(number, 90)
    ecr_keep_images        = optional(number, 30)
    experiment = optional(object({
      attribution_window     = optional(string, "30m")
      click_event_types      = optional(list(string), ["click"])
      conversion_event_types = optional(list(string), ["purchase"])
      results_interval       = optional(string, "1m")
      control_variant        = optional(string, "")
      alpha                  = optional(number, 0.05)
      min_users              = optional(number, 1000)
      min_exposures          = optional(number, 5000)
      ttl_days               = optional(number, 30)
    }), {})
  })
  nullable = false

  validation {
    condition     = var.settings.shard_count >= 1
    error_message = "settings.shard_count must be at least 1."
  }

  validation {
    condition = (alltrue([for d in [var.settings.experiment.attribution_window, var.settings.experiment.results_interval] : can(regex("^[1-9][0-9]*(ms|s|m|h|d)$", d))]) &&
      length(var.settings.experiment.click_event_types) > 0 && length(var.settings.experiment.conversion_event_types) > 0 &&
      var.settings.experiment.alpha > 0 && var.settings.experiment.alpha <= 0.5 && var.settings.experiment.min_users >= 2 && var.settings.experiment.min_exposures >= 1 &&
    var.settings.experiment.ttl_days >= 1)
    error_message = "settings.experiment: durations like 30m or 1m, at least one click and one conversion event type, alpha in (0, 0.5], min_users >= 2, min_exposures >= 1, ttl_days >= 1."
  }
}

# Wiring: outputs of the network, streaming and storage modules.
variable "vpc" {
  description = "Private subnets and security group of the consumer tasks."
  type        = object({ subnet_ids = list(string), security_group_id = string })
}

variable "stream" {
  description = "Name and ARN of the interactions stream."
  type        = object({ name = string, arn = string })
}

variable "lease_table" {
  description = "Name and ARN of the KCL lease table; its name is the KCL application name (and the KCL CloudWatch namespace)."
  type        = object({ name = string, arn = string })
}

variable "interactions_table" {
  description = "Name and ARN of the interactions table."
  type        = object({ name = string, arn = string })
}

variable "user_profiles_table" {
  description = "Name and ARN of the user_profiles table."
  type        = object({ name = string, arn = string })
}

variable "items_table" {
  description = "Name and ARN of the catalog table (item records land there)."
  type        = object({ name = string, arn = string })
}

variable "users_table" {
  description = "Name and ARN of the user metadata table (user records land there)."
  type        = object({ name = string, arn = string })
}

variable "personalize_datasets" {
  description = "ARNs of the dataset group's Items and Users datasets (training module output dataset_arns): the consumer forwards the item and user records it applied with PutItems and PutUsers, and is granted those calls on these two ARNs only."
  type        = object({ items = string, users = string })

  validation {
    condition     = alltrue([for k, v in var.personalize_datasets : can(regex("^arn:[a-z-]+:personalize:[a-z0-9-]+:[0-9]{12}:dataset/[^/*]+/${upper(k)}$", v))])
    error_message = "personalize_datasets: items and users must be Personalize dataset ARNs, arn:<partition>:personalize:<region>:<account>:dataset/<dataset group>/ITEMS and .../USERS (no wildcard)."
  }
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

variable "bucket" {
  description = "Name and ARN of the data bucket."
  type        = object({ name = string, arn = string })
}

variable "redis" {
  description = "The cache the consumer invalidates: url (rediss://, no credentials), cache (replication group name = id and arn) and user (the consumer's ElastiCache user: id and arn). It connects with IAM tokens it signs itself (elasticache:Connect); no password exists."
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
