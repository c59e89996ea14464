# Shared inputs of the stack (the same plain variables in every module): name, kms_key_arn.

variable "name" {
  description = "Name prefix of the stack; the stream is <name>-interactions."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for server-side encryption of the stream."
  type        = string
}

# The module's settings (the root passes its `streaming` object).
variable "settings" {
  description = "mode: ON_DEMAND or PROVISIONED. shard_count: shards in PROVISIONED mode (ignored in ON_DEMAND mode). retention_hours: record retention in hours (24-8760)."
  type = object({
    mode            = string
    shard_count     = number
    retention_hours = number
  })
  nullable = false

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.settings.mode)
    error_message = "settings.mode must be ON_DEMAND or PROVISIONED."
  }
}
