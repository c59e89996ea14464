# Network: private subnets only, the endpoints the workloads need, or NAT by variable.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Shared fixtures (the stack key): tests/terraform.tfvars.
variables {
  name               = "recsys"
  region             = "eu-west-1"
  availability_zones = ["eu-west-1a", "eu-west-1b"]
}

run "endpoints_mode" {
  command = apply

  module {
    source = "./modules/network"
  }

  variables {
    settings = { vpc_cidr = "10.40.0.0/16", egress_mode = "endpoints" }
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_internet_gateway.this) == 0 && length(aws_subnet.public) == 0
    error_message = "Endpoints mode has no internet path at all."
  }

  assert {
    condition = alltrue([for s in ["kinesis-streams", "personalize-runtime", "personalize-events", "logs", "ecr.api", "ecr.dkr", "sts", "secretsmanager", "monitoring"] :
    contains(keys(aws_vpc_endpoint.interface), s)]) && toset(keys(aws_vpc_endpoint.gateway)) == toset(["s3", "dynamodb"])
    error_message = "Interface endpoints for every API the tasks and the API function call, gateway endpoints for S3 and DynamoDB."
  }

  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : e.private_dns_enabled])
    error_message = "Private DNS so the SDKs' default endpoints resolve to the VPC endpoints."
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.redis : r.from_port == 6379 && r.referenced_security_group_id != null])
    error_message = "Redis is reachable only from the consumer and API security groups."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow.kms_key_id == var.kms_key_arn
    error_message = "Flow logs are KMS-encrypted."
  }
}

run "nat_mode" {
  command = apply

  module {
    source = "./modules/network"
  }

  variables {
    settings = { vpc_cidr = "10.40.0.0/16", egress_mode = "nat" }
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 2 && length(aws_vpc_endpoint.interface) == 0 && length(aws_vpc_endpoint.gateway) == 2
    error_message = "NAT mode: one NAT gateway per AZ, no interface endpoints, free gateway endpoints kept."
  }
}

run "nat_mode_single_gateway" {
  command = apply

  module {
    source = "./modules/network"
  }

  variables {
    settings = { vpc_cidr = "10.40.0.0/16", egress_mode = "nat", single_nat_gateway = true }
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_route.private_nat) == 2
    error_message = "A single NAT gateway serves every private route table."
  }
}
