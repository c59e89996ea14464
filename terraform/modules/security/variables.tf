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

variable "key_deletion_window_days" {
  description = "Waiting period before a scheduled key deletion completes."
  type        = number
  default     = 30

  validation {
    condition     = var.key_deletion_window_days >= 7 && var.key_deletion_window_days <= 30
    error_message = "key_deletion_window_days must be between 7 and 30."
  }
}
