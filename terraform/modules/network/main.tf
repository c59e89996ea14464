locals {
  az_count     = length(var.availability_zones)
  use_nat      = var.settings.egress_mode == "nat"
  nat_count    = local.use_nat ? (var.settings.single_nat_gateway ? 1 : local.az_count) : 0
  private_cidr = [for i in range(local.az_count) : cidrsubnet(var.settings.vpc_cidr, 4, i)]
  public_cidr  = [for i in range(local.az_count) : cidrsubnet(var.settings.vpc_cidr, 8, 255 - i)]
}

resource "aws_vpc" "this" {
  cidr_block           = var.settings.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true # private DNS of interface endpoints

  tags = { Name = var.name }
}

# The default security group allows all traffic between its members: strip it.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-default-unused" }
}

resource "aws_subnet" "private" {
  count             = local.az_count
  vpc_id            = aws_vpc.this.id
  cidr_block        = local.private_cidr[count.index]
  availability_zone = var.availability_zones[count.index]

  tags = { Name = "${var.name}-private-${var.availability_zones[count.index]}", Tier = "private" }
}

resource "aws_route_table" "private" {
  count  = local.az_count
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-private-${var.availability_zones[count.index]}" }
}

resource "aws_route_table_association" "private" {
  count          = local.az_count
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# ---- NAT mode -------------------------------------------------------------------------------

resource "aws_subnet" "public" {
  count             = local.use_nat ? local.az_count : 0
  vpc_id            = aws_vpc.this.id
  cidr_block        = local.public_cidr[count.index]
  availability_zone = var.availability_zones[count.index]

  tags = { Name = "${var.name}-public-${var.availability_zones[count.index]}", Tier = "public" }
}

resource "aws_internet_gateway" "this" {
  count  = local.use_nat ? 1 : 0
  vpc_id = aws_vpc.this.id
  tags   = { Name = var.name }
}

resource "aws_route_table" "public" {
  count  = local.use_nat ? 1 : 0
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-public" }
}

resource "aws_route" "public_internet" {
  count                  = local.use_nat ? 1 : 0
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count          = local.use_nat ? local.az_count : 0
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count  = local.nat_count
  domain = "vpc"
  tags   = { Name = "${var.name}-nat-${count.index}" }
}

resource "aws_nat_gateway" "this" {
  count         = local.nat_count
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = { Name = "${var.name}-${count.index}" }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route" "private_nat" {
  count                  = local.use_nat ? local.az_count : 0
  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.settings.single_nat_gateway ? 0 : count.index].id
}

# ---- VPC endpoints ----------------------------------------------------------------------------

locals {
  # The deployment's names, known before storage exists (storage depends on this module): the data bucket is
  # <name>-data-<suffix> (bucket_prefix), every table <name>-<suffix> (the contract's tables, the KCL lease tables).
  gateway_endpoint_policies = {
    s3 = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          # The object calls the workloads' roles are granted (serving, ingest-fleet); their IAM narrows further.
          Sid       = "DeploymentBuckets"
          Effect    = "Allow"
          Principal = "*"
          Action    = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListBucket"]
          Resource  = ["arn:${var.partition}:s3:::${var.name}-data-*", "arn:${var.partition}:s3:::${var.name}-data-*/*"]
        },
        {
          # Fargate pulls the consumer image's layers from ECR's own bucket through this endpoint.
          Sid       = "EcrImageLayers"
          Effect    = "Allow"
          Principal = "*"
          Action    = "s3:GetObject"
          Resource  = "arn:${var.partition}:s3:::prod-${var.region}-starport-layer-bucket/*"
        },
      ]
    })
    dynamodb = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = "DeploymentTables"
        Effect    = "Allow"
        Principal = "*"
        Action = [
          "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
          "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
        ]
        Resource = ["arn:${var.partition}:dynamodb:${var.region}:${var.account_id}:table/${var.name}-*"]
      }]
    })
  }
}

locals {
  # Interface endpoints: callers of this account only (aws:PrincipalAccount), the calls the workloads' roles make,
  # on this deployment's resources where they have a known name (the stream, the image repository),
  # else on this account's and region's. A service missing here keeps its default (full access) endpoint policy.
  arn_prefix = "arn:${var.partition}:%s:${var.region}:${var.account_id}:%s"
  in_account = { StringEquals = { "aws:PrincipalAccount" = var.account_id } }
  endpoint_use = {
    kinesis-streams = [{
      # kcl-consumer (KCL: shards, records, enhanced fan-out) and api-lambda (exposures).
      Action = [
        "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards",
        "kinesis:RegisterStreamConsumer", "kinesis:DescribeStreamConsumer", "kinesis:ListStreamConsumers", "kinesis:SubscribeToShard",
        "kinesis:PutRecords",
      ]
      Resource = [format(local.arn_prefix, "kinesis", "stream/${var.name}-*")] # the stream and its consumers
    }]
    personalize-runtime = [{
      Action   = ["personalize:GetRecommendations", "personalize:GetPersonalizedRanking"]
      Resource = [format(local.arn_prefix, "personalize", "*")] # campaigns may be overrides named outside the stack
    }]
    personalize-events = [
      {
        Action   = ["personalize:PutEvents"]
        Resource = [format(local.arn_prefix, "personalize", "event-tracker/*")]
      },
      {
        # kcl-consumer's PutItems / PutUsers: the datasets of the deployment's dataset group (named <name>).
        Action   = ["personalize:PutItems", "personalize:PutUsers"]
        Resource = [format(local.arn_prefix, "personalize", "dataset/${var.name}/*")]
      },
    ]
    logs = [{
      # The awslogs driver of the consumer tasks (Lambda ships the function's logs itself).
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = [format(local.arn_prefix, "logs", "log-group:*")]
    }]
    "ecr.api" = local.ecr_pull
    "ecr.dkr" = local.ecr_pull
    sts = [{
      Action   = ["sts:AssumeRole"]
      Resource = ["arn:${var.partition}:iam::${var.account_id}:role/*"]
    }]
    monitoring = [{
      # PutMetricData has no resource-level permissions.
      Action   = ["cloudwatch:PutMetricData"]
      Resource = ["*"]
    }]
  }
  ecr_pull = [
    {
      # GetAuthorizationToken has no resource-level permissions.
      Action   = ["ecr:GetAuthorizationToken"]
      Resource = ["*"]
    },
    {
      Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
      Resource = [format(local.arn_prefix, "ecr", "repository/${var.name}/*")]
    },
  ]

  interface_endpoint_policies = {
    for svc, statements in local.endpoint_use : svc => jsonencode({
      Version = "2012-10-17"
      Statement = [for i, st in statements : merge(st, {
        Sid       = "AccountCallers${i}"
        Effect    = "Allow"
        Principal = "*"
        Condition = local.in_account
      })]
    })
  }
}

# Gateway endpoints cost nothing and keep S3/DynamoDB traffic off the NAT in both modes.
resource "aws_vpc_endpoint" "gateway" {
  for_each          = toset(["s3", "dynamodb"])
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
  # Endpoints mode: the private subnets' only way to S3 and DynamoDB, so it reaches this deployment's data only
  # (the full-access default in NAT mode, where the NAT is the way out anyway).
  policy = local.use_nat ? null : local.gateway_endpoint_policies[each.key]

  tags = { Name = "${var.name}-${each.key}" }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.use_nat ? toset([]) : toset(var.settings.interface_endpoint_services)
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  policy              = lookup(local.interface_endpoint_policies, each.key, null)

  tags = { Name = "${var.name}-${each.key}" }
}

# ---- Security groups ------------------------------------------------------------------------
# Rules are separate resources so the groups can reference each other without a cycle.

resource "aws_security_group" "endpoints" {
  name_prefix = "${var.name}-endpoints-"
  description = "Interface VPC endpoints: HTTPS from the workloads"
  vpc_id      = aws_vpc.this.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "consumer" {
  name_prefix = "${var.name}-consumer-"
  description = "kcl-consumer Fargate tasks"
  vpc_id      = aws_vpc.this.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "api" {
  name_prefix = "${var.name}-api-"
  description = "api-lambda ENIs"
  vpc_id      = aws_vpc.this.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "redis" {
  name_prefix = "${var.name}-redis-"
  description = "ElastiCache Redis: TLS port from the consumer and the API only"
  vpc_id      = aws_vpc.this.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  for_each                     = { consumer = aws_security_group.consumer.id, api = aws_security_group.api.id }
  security_group_id            = aws_security_group.endpoints.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "HTTPS from ${each.key}"
}

resource "aws_vpc_security_group_ingress_rule" "redis" {
  for_each                     = { consumer = aws_security_group.consumer.id, api = aws_security_group.api.id }
  security_group_id            = aws_security_group.redis.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  description                  = "Redis TLS from ${each.key}"
}

resource "aws_vpc_security_group_egress_rule" "workload_redis" {
  for_each                     = { consumer = aws_security_group.consumer.id, api = aws_security_group.api.id }
  security_group_id            = each.value
  referenced_security_group_id = aws_security_group.redis.id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  description                  = "Redis"
}

# HTTPS out: to interface endpoints (VPC CIDR), gateway endpoints (S3/DynamoDB prefix lists)
# or, in NAT mode, AWS public endpoints — whose addresses are not a fixed set, hence 0.0.0.0/0
# on port 443 only.
resource "aws_vpc_security_group_egress_rule" "workload_https" {
  for_each          = { consumer = aws_security_group.consumer.id, api = aws_security_group.api.id }
  security_group_id = each.value
  cidr_ipv4         = local.use_nat ? "0.0.0.0/0" : var.settings.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS to AWS APIs"
}

resource "aws_vpc_security_group_egress_rule" "workload_gateway_endpoints" {
  for_each          = { for pair in setproduct(["consumer", "api"], ["s3", "dynamodb"]) : "${pair[0]}-${pair[1]}" => pair }
  security_group_id = each.value[0] == "consumer" ? aws_security_group.consumer.id : aws_security_group.api.id
  prefix_list_id    = aws_vpc_endpoint.gateway[each.value[1]].prefix_list_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS to ${each.value[1]} gateway endpoint"
}

# ---- Flow logs --------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/vpc/${var.name}/flow-logs"
  retention_in_days = var.settings.flow_log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_iam_role" "flow" {
  name_prefix        = "${var.name}-flow-"
  assume_role_policy = local.flow_trust
}

resource "aws_iam_role_policy" "flow" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow.id
  policy = local.flow_policy
}

locals {
  flow_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  flow_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
      Resource = "${aws_cloudwatch_log_group.flow.arn}:*"
    }]
  })
}

resource "aws_flow_log" "this" {
  vpc_id               = aws_vpc.this.id
  traffic_type         = "REJECT"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow.arn
  iam_role_arn         = aws_iam_role.flow.arn
}
