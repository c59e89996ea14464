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

variable "deletion_protection" {
  description = "Protect the tables from deletion and keep a non-empty bucket on destroy."
  type        = bool
  default     = true
}

variable "raw_retention_days" {
  description = "Days raw/ batches are kept."
  type        = number
  default     = 365
}

variable "dead_letter_retention_days" {
  description = "Days dead-letter/ records are kept."
  type        = number
  default     = 90
}

variable "kcl_application_name" {
  description = "KCL application name = lease table name."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the Redis replication group."
  type        = list(string)
}

variable "redis_security_group_id" {
  description = "Security group of the Redis replication group."
  type        = string
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "redis_replicas" {
  description = "Cache clusters in the replication group (>= 2 for multi-AZ)."
  type        = number
  default     = 2

  validation {
    condition     = var.redis_replicas >= 2
    error_message = "Multi-AZ with automatic failover needs at least 2 cache clusters."
  }
}

variable "redis_auth_token" {
  description = "Redis AUTH token (from the security module's secret)."
  type        = string
  sensitive   = true
}

variable "redis_snapshot_retention_days" {
  description = "Days of automatic Redis snapshots (0 disables them)."
  type        = number
  default     = 1
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
