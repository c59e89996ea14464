# Storage invariants: encryption at rest on every store, TLS-only access, the table layouts of
# DESIGN.md, and Redis with TLS + AUTH + multi-AZ.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "storage" {
  command = apply

  module {
    source = "./modules/storage"
  }

  variables {
    name                    = "recsys"
    account_id              = "123456789012"
    kms_key_arn             = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    kcl_application_name    = "recsys-kcl-consumer"
    subnet_ids              = ["subnet-a", "subnet-b"]
    redis_security_group_id = "sg-redis"
    redis_auth_token        = "MockedRedisAuthTokenOfSixtyFourCharactersXXXXXXXXXXXXXXXXXXXXXX"
  }

  # ---- encryption at rest ----
  assert {
    condition = alltrue([for r in aws_s3_bucket_server_side_encryption_configuration.data.rule :
      r.apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
    r.apply_server_side_encryption_by_default[0].kms_master_key_id == var.kms_key_arn])
    error_message = "The bucket must default to SSE-KMS with the stack key."
  }

  assert {
    condition = alltrue([for t in [aws_dynamodb_table.interactions, aws_dynamodb_table.user_profiles, aws_dynamodb_table.kcl_leases] :
    t.server_side_encryption[0].enabled && t.server_side_encryption[0].kms_key_arn == var.kms_key_arn])
    error_message = "Every DynamoDB table must be encrypted with the stack key."
  }

  assert {
    condition     = tostring(aws_elasticache_replication_group.redis.at_rest_encryption_enabled) == "true" && aws_elasticache_replication_group.redis.kms_key_id == var.kms_key_arn
    error_message = "Redis must be encrypted at rest with the stack key."
  }

  assert {
    condition     = aws_secretsmanager_secret.redis_uri.kms_key_id == var.kms_key_arn && startswith(nonsensitive(aws_secretsmanager_secret_version.redis_uri.secret_string), "rediss://")
    error_message = "The consumer's Redis URI is a KMS-encrypted secret and uses TLS."
  }

  assert {
    condition     = aws_cloudwatch_log_group.redis_slow.kms_key_id == var.kms_key_arn
    error_message = "The Redis slow-log group must be KMS-encrypted."
  }

  # ---- TLS required ----
  assert {
    condition = anytrue([for s in jsondecode(aws_s3_bucket_policy.data.policy).Statement :
      s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*" &&
      try(s.Condition.Bool["aws:SecureTransport"], "") == "false" &&
      contains(s.Resource, aws_s3_bucket.data.arn) && contains(s.Resource, "${aws_s3_bucket.data.arn}/*")
    ])
    error_message = "The bucket policy must deny every non-TLS request on the bucket and its objects."
  }

  assert {
    condition = (aws_elasticache_replication_group.redis.transit_encryption_enabled == true &&
      aws_elasticache_replication_group.redis.transit_encryption_mode == "required" &&
    length(nonsensitive(aws_elasticache_replication_group.redis.auth_token)) >= 16)
    error_message = "Redis must require TLS in transit and an AUTH token."
  }

  assert {
    condition     = startswith(output.redis_url, "rediss://")
    error_message = "Clients must be given a rediss:// (TLS) URL."
  }

  # ---- availability and protection ----
  assert {
    condition     = aws_elasticache_replication_group.redis.multi_az_enabled && aws_elasticache_replication_group.redis.automatic_failover_enabled && aws_elasticache_replication_group.redis.num_cache_clusters >= 2
    error_message = "Redis must be multi-AZ with automatic failover."
  }

  assert {
    condition = alltrue([aws_s3_bucket_public_access_block.data.block_public_acls, aws_s3_bucket_public_access_block.data.block_public_policy,
    aws_s3_bucket_public_access_block.data.ignore_public_acls, aws_s3_bucket_public_access_block.data.restrict_public_buckets])
    error_message = "All public access to the bucket must be blocked."
  }

  assert {
    condition     = aws_s3_bucket_versioning.data.versioning_configuration[0].status == "Enabled"
    error_message = "The bucket must be versioned."
  }

  assert {
    condition = alltrue([for p in ["raw/", "dead-letter/", "prepared/"] :
    anytrue([for r in aws_s3_bucket_lifecycle_configuration.data.rule : try(r.filter[0].prefix, "") == p && length(r.expiration) > 0])])
    error_message = "raw/, dead-letter/ and prepared/ each need an expiring lifecycle rule."
  }

  assert {
    condition = alltrue([for t in [aws_dynamodb_table.interactions, aws_dynamodb_table.user_profiles, aws_dynamodb_table.kcl_leases] :
    t.point_in_time_recovery[0].enabled && t.deletion_protection_enabled])
    error_message = "Tables need PITR and deletion protection."
  }

  # ---- table layout (common/…/InteractionKeys.java) ----
  assert {
    condition = (aws_dynamodb_table.interactions.hash_key == "user_id" && aws_dynamodb_table.interactions.range_key == "event_id" &&
      anytrue([for g in aws_dynamodb_table.interactions.global_secondary_index : g.name == "ItemIndex" && g.hash_key == "item_id" && g.range_key == "event_time"]) &&
      anytrue([for l in aws_dynamodb_table.interactions.local_secondary_index : l.name == "TimeIndex" && l.range_key == "event_time"]) &&
    aws_dynamodb_table.interactions.ttl[0].enabled && aws_dynamodb_table.interactions.ttl[0].attribute_name == "ttl")
    error_message = "interactions: PK user_id, SK event_id, LSI TimeIndex and GSI ItemIndex (item_id) on event_time, TTL on ttl."
  }

  assert {
    condition     = aws_dynamodb_table.kcl_leases.name == "recsys-kcl-consumer" && aws_dynamodb_table.kcl_leases.hash_key == "leaseKey"
    error_message = "The lease table is named after the KCL application and keyed by leaseKey."
  }
}

run "single_node_redis_is_rejected" {
  command = plan

  module {
    source = "./modules/storage"
  }

  variables {
    name                    = "recsys"
    account_id              = "123456789012"
    kms_key_arn             = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    kcl_application_name    = "recsys-kcl-consumer"
    subnet_ids              = ["subnet-a", "subnet-b"]
    redis_security_group_id = "sg-redis"
    redis_auth_token        = "MockedRedisAuthTokenOfSixtyFourCharactersXXXXXXXXXXXXXXXXXXXXXX"
    redis_replicas          = 1
  }

  expect_failures = [var.redis_replicas]
}
