variable "name" {
  description = "Name prefix of the stack."
  type        = string
}

variable "region" {
  description = "Region (VPC endpoint service names)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones to place one private (and in NAT mode one public) subnet in."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones are needed."
  }
}

variable "egress_mode" {
  description = "\"endpoints\" (interface endpoints, no internet route) or \"nat\" (NAT gateways)."
  type        = string

  validation {
    condition     = contains(["endpoints", "nat"], var.egress_mode)
    error_message = "egress_mode must be \"endpoints\" or \"nat\"."
  }
}

variable "single_nat_gateway" {
  description = "In NAT mode, share one NAT gateway between all AZs."
  type        = bool
  default     = false
}

variable "interface_endpoint_services" {
  description = "Interface endpoints created in \"endpoints\" mode: the AWS APIs the consumer tasks and the API function call from the private subnets."
  type        = list(string)
  default = [
    "kinesis-streams",     # KCL: GetRecords, ListShards, SubscribeToShard
    "personalize-runtime", # api-lambda: GetRecommendations
    "personalize-events",  # kcl-consumer: PutEvents
    "logs",                # awslogs driver, Lambda logs
    "ecr.api",             # Fargate image pull (manifest)
    "ecr.dkr",             # Fargate image pull (layers come through the S3 gateway endpoint)
    "sts",                 # SDK credential refresh
    "secretsmanager",      # Redis AUTH token
    "monitoring",          # KCL / EMF CloudWatch metrics
  ]
}

variable "kms_key_arn" {
  description = "KMS key encrypting the flow log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group."
  type        = number
  default     = 30
}
