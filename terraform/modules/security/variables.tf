# Shared inputs of the stack (the same plain variables in every module): name, account_id, region, partition.
# This module creates the stack's KMS key, so it takes no kms_key_arn.

variable "name" {
  description = "Name prefix of the stack."
  type        = string
}

variable "account_id" {
  description = "AWS account id (key policy principal)."
  type        = string
}

variable "region" {
  description = "Region of the stack (regional service principals in the key policy)."
  type        = string
}

variable "partition" {
  description = "AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"
}

# The module's settings (the root has no group for them: it keeps the defaults).
variable "settings" {
  description = "key_deletion_window_days: waiting period before a scheduled key deletion completes (7-30)."
  type = object({
    key_deletion_window_days = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.settings.key_deletion_window_days >= 7 && var.settings.key_deletion_window_days <= 30
    error_message = "settings.key_deletion_window_days must be between 7 and 30."
  }
}
