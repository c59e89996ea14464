provider "aws" {
  region = var.region

  default_tags {
    tags = merge(
      {
        Project     = "recsys"
        Environment = var.environment
        Stack       = var.name
        ManagedBy   = "terraform"
      },
      var.tags,
    )
  }
}
