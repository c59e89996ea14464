# Shared inputs of the stack (the same plain variables in every module): name, account_id, kms_key_arn,
# log_retention_days, contract_file.

variable "name" {
  description = "Name prefix of the stack."
  type        = string
}

variable "account_id" {
  description = "AWS account id (bucket policy conditions)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the bucket, the tables, Redis and the Redis log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the Redis slow-log group."
  type        = number
  default     = 30
}

variable "contract_file" {
  description = "Contract JSON the cross-module names are read from (modules/contract); null means the repository's common/contract/recsys-contract.json. Tests point it at a renamed copy to prove every name comes from it."
  type        = string
  default     = null
}

# The module's settings (the root passes its `storage` object; its interactions_ttl_days goes to the consumer).
variable "settings" {
  description = <<-EOT
    deletion_protection: protect the tables from deletion and keep a non-empty bucket on destroy.
    raw_retention_days / dead_letter_retention_days: days raw/ batches and dead-letter/ records are kept.
    redis_node_type: ElastiCache node type. redis_replicas: cache clusters in the replication group (>= 2 for
    multi-AZ). redis_snapshot_retention_days: days of automatic Redis snapshots (0 disables them).
  EOT
  type = object({
    deletion_protection           = optional(bool, true)
    raw_retention_days            = optional(number, 365)
    dead_letter_retention_days    = optional(number, 90)
    redis_node_type               = optional(string, "cache.t4g.small")
    redis_replicas                = optional(number, 2)
    redis_snapshot_retention_days = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.settings.redis_replicas >= 2
    error_message = "settings.redis_replicas: multi-AZ with automatic failover needs at least 2 cache clusters."
  }
}

# Wiring: outputs of the network and security modules, and the lease table's name.
variable "kcl_application_name" {
  description = "KCL application name = lease table name."
  type        = string
}

variable "vpc" {
  description = "Private subnets and security group of the Redis replication group."
  type        = object({ subnet_ids = list(string), security_group_id = string })
}

