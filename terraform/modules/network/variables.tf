# Shared inputs of the stack (the same plain variables in every module): name, region, account_id, partition,
# kms_key_arn.

variable "name" {
  description = "Name prefix of the stack."
  type        = string
}

variable "region" {
  description = "Region (VPC endpoint service names)."
  type        = string
}

variable "account_id" {
  description = "AWS account id (the gateway endpoint policies name this account's tables)."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
  default     = "aws"
}

variable "kms_key_arn" {
  description = "KMS key encrypting the flow log group."
  type        = string
}

# The module's settings (the root passes its `network` object; its az_count is the root's, which picks
# availability_zones from it).
variable "settings" {
  description = <<-EOT
    vpc_cidr: CIDR of the VPC. egress_mode: "endpoints" (interface endpoints, no internet route) or "nat" (NAT
    gateways). single_nat_gateway: in NAT mode, share one NAT gateway between all AZs. flow_log_retention_days:
    retention of the VPC flow log group. interface_endpoint_services: interface endpoints created in "endpoints"
    mode, the AWS APIs the consumer tasks and the API function call from the private subnets.
  EOT
  type = object({
    vpc_cidr                = string
    egress_mode             = string
    single_nat_gateway      = optional(bool, false)
    flow_log_retention_days = optional(number, 30)
    interface_endpoint_services = optional(list(string), [
      "kinesis-streams",     # KCL: GetRecords, ListShards, SubscribeToShard
      "personalize-runtime", # api-lambda: GetRecommendations
      "personalize-events",  # kcl-consumer: PutEvents, PutItems, PutUsers
      "logs",                # awslogs driver, Lambda logs
      "ecr.api",             # Fargate image pull (manifest)
      "ecr.dkr",             # Fargate image pull (layers come through the S3 gateway endpoint)
      "sts",                 # SDK credential refresh
      "monitoring",          # KCL / EMF CloudWatch metrics
    ])
  })
  nullable = false

  validation {
    condition     = contains(["endpoints", "nat"], var.settings.egress_mode)
    error_message = "settings.egress_mode must be \"endpoints\" or \"nat\"."
  }
}

# Wiring: where the subnets go (the root picks them from the region's AZs).
variable "availability_zones" {
  description = "Availability zones to place one private (and in NAT mode one public) subnet in."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones are needed."
  }
}
