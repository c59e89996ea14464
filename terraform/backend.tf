# Remote state: uncomment and fill in before the first `terraform apply` of a shared environment.
# The state holds the API keys and the machine client's secret (no Redis password exists), so the state bucket must be private,
# versioned and KMS-encrypted. S3-native locking (Terraform >= 1.10) replaces the DynamoDB lock
# table; on older Terraform use `dynamodb_table = "terraform-locks"` instead of use_lockfile.
#
# terraform {
#   backend "s3" {
#     bucket       = "my-org-terraform-state"
#     key          = "recsys/prod/terraform.tfstate"
#     region       = "eu-west-1"
#     encrypt      = true
#     kms_key_id   = "alias/terraform-state"
#     use_lockfile = true
#   }
# }
#
# Then: terraform init -backend-config=examples/prod.s3.tfbackend (one file per environment).
