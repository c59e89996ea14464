# The consumer takes one rediss:// URI with the token in it (consumer.yml realtime.redisUri); ECS
# injects it from this secret so it never appears in the task definition.
resource "aws_secretsmanager_secret" "redis_uri" {
  name_prefix             = "${var.name}/redis-uri-"
  description             = "rediss:// URI (with AUTH token) of the ${var.name} cache"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "redis_uri" {
  secret_id     = aws_secretsmanager_secret.redis_uri.id
  secret_string = "rediss://${var.redis_auth_token}@${aws_elasticache_replication_group.redis.primary_endpoint_address}:${aws_elasticache_replication_group.redis.port}"
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
  auth_token                 = var.redis_auth_token

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
