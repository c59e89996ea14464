terraform {
  # 1.9+: variable validations may reference other variables; terraform test mocks need 1.7+.
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
