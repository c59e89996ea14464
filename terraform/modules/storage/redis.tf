# No password exists: each component (the contract's redis.users) is its own ElastiCache user with IAM
# authentication, user id = user name = <name>-<name_suffix> (IAM users need both equal), limited by its access
# string. Its role signs a short-lived token (elasticache:Connect); nothing secret is in state, env or outputs.
locals {
  redis_users = { for k, u in module.contract.redis.users : k => merge(u, { id = "${var.name}-${u.name_suffix}" }) }
}

resource "aws_elasticache_user" "component" {
  for_each      = local.redis_users
  user_id       = each.value.id
  user_name     = each.value.id
  engine        = "redis"
  access_string = each.value.access_string

  authentication_mode {
    type = "iam"
  }
}

# A user group must hold a user named "default"; this one is switched off and can do nothing.
resource "aws_elasticache_user" "default" {
  user_id       = "${var.name}-default"
  user_name     = "default"
  engine        = "redis"
  access_string = "off -@all"

  authentication_mode {
    type = "no-password-required"
  }
}

resource "aws_elasticache_user_group" "cache" {
  engine        = "redis"
  user_group_id = "${var.name}-cache-users"
  user_ids      = concat([aws_elasticache_user.default.user_id], [for u in aws_elasticache_user.component : u.user_id])
}

resource "aws_elasticache_subnet_group" "redis" {
  name       = "${var.name}-redis"
  subnet_ids = var.vpc.subnet_ids
}

resource "aws_elasticache_parameter_group" "redis" {
  name   = "${var.name}-redis7"
  family = "redis7"

  # A cache, not a database: evict least-recently-used keys instead of refusing writes.
  parameter {
    name  = "maxmemory-policy"
    value = "allkeys-lru"
  }
}

resource "aws_cloudwatch_log_group" "redis_slow" {
  name              = "/elasticache/${var.name}/slow-log"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id = "${var.name}-cache"
  description          = "${var.name}: recommendation cache (api-lambda) and invalidation (kcl-consumer)"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.settings.redis_node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.redis.name
  subnet_group_name    = aws_elasticache_subnet_group.redis.name
  security_group_ids   = [var.vpc.security_group_id]

  num_cache_clusters         = var.settings.redis_replicas
  automatic_failover_enabled = true
  multi_az_enabled           = true

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  user_group_ids             = [aws_elasticache_user_group.cache.user_group_id]

  snapshot_retention_limit   = var.settings.redis_snapshot_retention_days
  auto_minor_version_upgrade = true
  apply_immediately          = false

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.redis_slow.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }
}
