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

  # The gateway endpoints are the only way to S3 and DynamoDB here: they reach this deployment's bucket(s), ECR's
  # layer bucket (image pulls) and tables only, in this account and region.
  assert {
    condition = (toset(flatten([for s in try(jsondecode(aws_vpc_endpoint.gateway["s3"].policy).Statement, []) : [for r in flatten([s.Resource]) : "${s.Effect} ${r}"]])) == toset([
      "Allow arn:aws:s3:::recsys-data-*", "Allow arn:aws:s3:::recsys-data-*/*", "Allow arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"]) &&
      one([for s in try(jsondecode(aws_vpc_endpoint.gateway["s3"].policy).Statement, []) : s.Action if s.Sid == "EcrImageLayers"]) == "s3:GetObject" &&
      toset(flatten([for s in try(jsondecode(aws_vpc_endpoint.gateway["dynamodb"].policy).Statement, []) : [for r in flatten([s.Resource]) : "${s.Effect} ${r}"]])) == toset([
    "Allow arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-*"]))
    error_message = "Endpoints mode: the S3 gateway endpoint reaches only the deployment's bucket and ECR's layer bucket, the DynamoDB one only the deployment's tables."
  }

  # No way out of the VPC either: every egress rule is TCP to one port, to the VPC, a prefix list or a group, never
  # 0.0.0.0/0 or ::/0, never all protocols; the default security group keeps no rules.
  assert {
    condition = alltrue([for r in concat(values(aws_vpc_security_group_egress_rule.workload_https), values(aws_vpc_security_group_egress_rule.workload_gateway_endpoints), values(aws_vpc_security_group_egress_rule.workload_redis)) :
      r.ip_protocol == "tcp" && r.from_port == r.to_port && contains([443, 6379], coalesce(r.from_port, -1)) && coalesce(r.cidr_ipv4, "none") != "0.0.0.0/0" && r.cidr_ipv6 == null
      ]) && alltrue([for r in aws_vpc_security_group_egress_rule.workload_https : r.cidr_ipv4 == var.settings.vpc_cidr]) && (
      alltrue([for g in [aws_security_group.api, aws_security_group.consumer, aws_security_group.endpoints, aws_security_group.redis, aws_default_security_group.this] : length(g.egress) == 0])
    )
    error_message = "Endpoints mode: egress only on TCP 443 (VPC CIDR, gateway prefix lists) and 6379 (Redis group); never 0.0.0.0/0 or all ports."
  }

  assert {
    condition = alltrue([for s in ["kinesis-streams", "personalize-runtime", "personalize-events", "logs", "ecr.api", "ecr.dkr", "sts", "monitoring"] :
    contains(keys(aws_vpc_endpoint.interface), s)]) && toset(keys(aws_vpc_endpoint.gateway)) == toset(["s3", "dynamodb"])
    error_message = "Interface endpoints for every API the tasks and the API function call, gateway endpoints for S3 and DynamoDB."
  }

  # Interface endpoints: each default one carries a policy; every statement lets only this account's principals in
  # (aws:PrincipalAccount), names its actions (no wildcard) and reaches this account's and region's resources, "*"
  # only for the two actions without resource-level permissions.
  assert {
    condition = alltrue([for svc, e in aws_vpc_endpoint.interface : alltrue([for st in try(jsondecode(e.policy).Statement, [{}]) :
      try(st.Effect, "") == "Allow" && try(st.Condition, null) == { StringEquals = { "aws:PrincipalAccount" = var.account_id } } &&
      alltrue([for a in flatten([try(st.Action, ["*"])]) : !strcontains(a, "*")]) &&
      alltrue([for r in flatten([try(st.Resource, ["*"])]) : r == "*" ? contains([["ecr:GetAuthorizationToken"], ["cloudwatch:PutMetricData"]], flatten([try(st.Action, [])])) :
        can(regex("^arn:aws:[a-z-]+:eu-west-1:${var.account_id}:", r)) || can(regex("^arn:aws:iam::${var.account_id}:", r))
      ])
    ])]) && length(aws_vpc_endpoint.interface) == 8
    error_message = "Every interface endpoint needs a policy admitting only this account's principals (aws:PrincipalAccount), with named actions on this account's resources (\"*\" only for ecr:GetAuthorizationToken and cloudwatch:PutMetricData)."
  }

  # Where the deployment's resources have known names, only those: its stream(s) and image repository.
  assert {
    condition = (toset(flatten([for st in try(jsondecode(aws_vpc_endpoint.interface["kinesis-streams"].policy).Statement, []) : st.Resource])) == toset(["arn:aws:kinesis:eu-west-1:123456789012:stream/recsys-*"]) &&
      alltrue([for svc in ["ecr.api", "ecr.dkr"] : toset(flatten([for st in try(jsondecode(aws_vpc_endpoint.interface[svc].policy).Statement, []) : st.Resource if st.Action != ["ecr:GetAuthorizationToken"]])) ==
    toset(["arn:aws:ecr:eu-west-1:123456789012:repository/recsys/*"])]))
    error_message = "The Kinesis and ECR endpoints must reach only the deployment's stream(s) (recsys-*) and image repositories (recsys/*)."
  }

  # Personalize Events: the consumer's PutEvents on this account's event trackers (generated ids), its PutItems and
  # PutUsers on the datasets of the deployment's dataset group (named <name>) only.
  assert {
    condition = toset(flatten([for st in try(jsondecode(aws_vpc_endpoint.interface["personalize-events"].policy).Statement, []) : [
      for a in flatten([st.Action]) : [for r in flatten([st.Resource]) : "${a} ${r}"]
      ]])) == toset([
      "personalize:PutEvents arn:aws:personalize:eu-west-1:123456789012:event-tracker/*",
      "personalize:PutItems arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/*",
      "personalize:PutUsers arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/*",
    ])
    error_message = "The Personalize Events endpoint must let through exactly PutEvents on event trackers and PutItems / PutUsers on the deployment's datasets (dataset/recsys/*)."
  }

  assert {
    condition     = alltrue([for svc, e in aws_vpc_endpoint.interface : output.policy_documents["network/${svc}-endpoint"] == e.policy])
    error_message = "The interface endpoint policies are listed in policy_documents (reviewed and checked by the stack's no-wildcard tests)."
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
