variable "function_name" {
  description = "Name of the function (also names its log group /aws/lambda/<name>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 characters of letters, digits, '-' and '_'."
  }
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = ""
}

variable "handler" {
  description = "Lambda handler (Java: package.Class::method)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.$]+(::[A-Za-z0-9_]+)?$", var.handler))
    error_message = "handler must look like dev.recsys.api.lambda.ApiHandler::handleRequest."
  }
}

variable "runtime" {
  description = "Lambda runtime."
  type        = string
  default     = "java17"

  validation {
    condition     = startswith(var.runtime, "java")
    error_message = "This module deploys Java jars: runtime must be a java runtime (java17, java21)."
  }
}

variable "architectures" {
  description = "Instruction set of the function."
  type        = list(string)
  default     = ["x86_64"]

  validation {
    condition     = length(var.architectures) == 1 && contains(["x86_64", "arm64"], var.architectures[0])
    error_message = "architectures must be [\"x86_64\"] or [\"arm64\"]."
  }
}

variable "memory_mb" {
  description = "Function memory (CPU scales with it)."
  type        = number

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 128 and 10240."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 1 and 900."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrency; -1 leaves the function unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrency == -1 || var.reserved_concurrency >= 0
    error_message = "reserved_concurrency must be -1 or at least 0."
  }
}

variable "artifact" {
  description = "The jar: local path (built by Maven), bucket it is uploaded to and key prefix (the key is <key_prefix><file name>)."
  type        = object({ path = string, bucket = string, key_prefix = string })

  validation {
    condition     = fileexists(var.artifact.path)
    error_message = "The function's jar does not exist: build it first (./mvnw -B package)."
  }

  # A failed or interrupted build can leave a zero-byte jar: Lambda would only refuse it at apply, after the upload.
  validation {
    condition     = try(length(filebase64(var.artifact.path)) > 0, false)
    error_message = "The function's jar is empty: rebuild it (./mvnw -B package)."
  }

  validation {
    condition     = var.artifact.key_prefix == "" || endswith(var.artifact.key_prefix, "/")
    error_message = "artifact.key_prefix must be empty or end with '/'."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting the log group, the uploaded jar and the environment variables."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 30
}

variable "role_name_prefix" {
  description = "Name prefix of the execution role."
  type        = string

  validation {
    condition     = length(var.role_name_prefix) >= 1 && length(var.role_name_prefix) <= 38
    error_message = "role_name_prefix must be 1-38 characters (IAM name_prefix limit)."
  }
}

variable "policy_name" {
  description = "Name of the execution role's inline policy."
  type        = string
}

variable "policy_statements" {
  description = "IAM statements the function needs beyond its log group, VPC ENIs and X-Ray (which the module adds first). A list of statement objects; their shapes may differ."
  type        = any
  default     = []

  validation {
    condition     = can(length(var.policy_statements)) && alltrue([for s in var.policy_statements : can(s.Sid) && can(s.Effect) && can(s.Action)])
    error_message = "policy_statements must be a list of IAM statements, each with Sid, Effect and Action."
  }
}

variable "vpc" {
  description = "Subnets and security groups of the function's ENIs; null runs it outside any VPC."
  type        = object({ subnet_ids = list(string), security_group_ids = list(string) })
  default     = null
}

variable "snap_start" {
  description = "SnapStart on published versions (implies publish)."
  type        = bool
  default     = false
}

variable "alias" {
  description = "Alias pointing at the published version (implies publish); null creates none."
  type        = object({ name = string, description = optional(string, "") })
  default     = null
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}
