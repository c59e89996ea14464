# A runnable root configuration: the recsys stack (terraform/, the root module) with the values of
# terraform.tfvars next to this file.
#
#   terraform -chdir=terraform/examples/<env> init
#   terraform -chdir=terraform/examples/<env> apply
#
# Every example directory shares this file (examples/prod/main.tf is a link to examples/dev/main.tf):
# an example is its terraform.tfvars. Inputs left out of it keep the root module's defaults (its
# object variables are non-nullable, so the null defaults below mean "not set"). scripts/test.sh
# validates each directory and applies each terraform.tfvars to the root module against a mocked
# provider (tests/examples.tftest.hcl).

# Remote state is on by default: an encrypted S3 object with S3-native locking (Terraform >= 1.10), so state never
# sits on a laptop and two applies cannot interleave. The bucket is yours (versioned, KMS-encrypted, access-logged);
# name it and your key at init:
#   terraform -chdir=terraform/examples/<env> init -backend-config="bucket=<state bucket>" \
#     -backend-config="region=<region>" -backend-config="kms_key_id=<key ARN or alias>" -backend-config="key=recsys/<env>.tfstate"
terraform {
  backend "s3" {
    key          = "recsys/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

module "recsys" {
  source = "../.."

  name               = var.name
  environment        = var.environment
  region             = var.region
  tags               = var.tags
  log_retention_days = var.log_retention_days
  network            = var.network
  streaming          = var.streaming
  storage            = var.storage
  consumer           = var.consumer
  artifacts          = var.artifacts
  api                = var.api
  ab_variants        = var.ab_variants
  experiment         = var.experiment
  training           = var.training
  monitoring         = var.monitoring
}

# The root module's inputs (terraform/variables.tf documents and validates each one).
variable "environment" { type = string }
variable "consumer" { type = any }
variable "api" { type = any }
variable "name" {
  type    = string
  default = null
}
variable "region" {
  type    = string
  default = null
}
variable "tags" {
  type    = map(string)
  default = null
}
variable "log_retention_days" {
  type    = number
  default = null
}
variable "network" {
  type    = any
  default = null
}
variable "streaming" {
  type    = any
  default = null
}
variable "storage" {
  type    = any
  default = null
}
variable "artifacts" {
  type    = any
  default = null
}
variable "ab_variants" {
  type    = any
  default = null
}
variable "experiment" {
  type    = any
  default = null
}
variable "training" {
  type    = any
  default = null
}
variable "monitoring" {
  type    = any
  default = null
}

output "api_invoke_url" {
  description = "Base URL of the recommendation API."
  value       = module.recsys.api_invoke_url
}

output "ecr_repository_url" {
  description = "Where to push the kcl-consumer image (tag = consumer.image_tag)."
  value       = module.recsys.ecr_repository_url
}

output "stream_name" {
  description = "Kinesis stream producers write to."
  value       = module.recsys.stream_name
}

output "state_machine_arn" {
  description = "Training pipeline."
  value       = module.recsys.state_machine_arn
}
