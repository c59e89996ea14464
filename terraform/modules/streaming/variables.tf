variable "name" {
  description = "Name prefix of the stack; the stream is <name>-interactions."
  type        = string
}

variable "stream_mode" {
  description = "ON_DEMAND or PROVISIONED."
  type        = string

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.stream_mode)
    error_message = "stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "shard_count" {
  description = "Shards in PROVISIONED mode (ignored in ON_DEMAND mode)."
  type        = number
}

variable "retention_hours" {
  description = "Record retention in hours (24-8760)."
  type        = number
}

variable "kms_key_arn" {
  description = "KMS key for server-side encryption of the stream."
  type        = string
}
