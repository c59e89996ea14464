output "bucket" {
  description = "Name and ARN of the data bucket."
  value       = { name = aws_s3_bucket.data.id, arn = aws_s3_bucket.data.arn }
}

output "interactions_table" {
  description = "Name and ARN of the interactions table."
  value       = { name = aws_dynamodb_table.table["interactions"].name, arn = aws_dynamodb_table.table["interactions"].arn }
}

output "user_profiles_table" {
  description = "Name and ARN of the user_profiles table."
  value       = { name = aws_dynamodb_table.table["user_profiles"].name, arn = aws_dynamodb_table.table["user_profiles"].arn }
}

output "interactions_time_index_name" {
  description = "Local index of the interactions table by event time (a user's latest events)."
  value       = local.interactions.time_index
}

output "items_table" {
  description = "The catalog table (hash key item_id, one row per item; ItemKeys names the attributes)."
  value       = { name = aws_dynamodb_table.table["items"].name, arn = aws_dynamodb_table.table["items"].arn }
}

output "users_table" {
  description = "The user metadata table (hash key user_id, one row per user; UserKeys names the attributes): the consumer writes it, the API reads it."
  value       = { name = aws_dynamodb_table.table["users"].name, arn = aws_dynamodb_table.table["users"].arn }
}

output "interactions_item_index_name" {
  description = "Keys-only global index of the interactions table by item (the API's \"is this item known?\" Query)."
  value       = one([for g in aws_dynamodb_table.table["interactions"].global_secondary_index : g.name if g.hash_key == local.interactions.item_index_hash_key])
}

output "lease_table_name" {
  description = "Name of the KCL lease table (= KCL application name)."
  value       = aws_dynamodb_table.table["kcl_leases"].name
}

output "lease_table_arn" {
  description = "ARN of the KCL lease table."
  value       = aws_dynamodb_table.table["kcl_leases"].arn
}

output "experiment_tables" {
  description = "Name and ARN of the online loop's tables, by role: exposures, experiment_users, experiments."
  value       = { for k in local.experiment_table_keys : k => { name = aws_dynamodb_table.table[k].name, arn = aws_dynamodb_table.table[k].arn } }
}

output "exposures_time_index_name" {
  description = "Local index of the exposures table on exposed_at (the consumer's attribution-window Query)."
  value       = local.table_layouts.exposures.lsi.name
}

output "redis_replication_group_id" {
  description = "Id of the Redis replication group."
  value       = aws_elasticache_replication_group.redis.id
}

output "redis_primary_endpoint" {
  description = "Primary endpoint address of the Redis replication group."
  value       = aws_elasticache_replication_group.redis.primary_endpoint_address
}

output "redis_url" {
  description = "rediss:// URL (TLS) of the primary endpoint, without credentials."
  value       = "rediss://${aws_elasticache_replication_group.redis.primary_endpoint_address}:${aws_elasticache_replication_group.redis.port}"
}

output "redis_cache" {
  description = "The replication group: name (its id, which IAM tokens are signed for) and arn (for elasticache:Connect)."
  value = {
    name = aws_elasticache_replication_group.redis.id
    arn  = aws_elasticache_replication_group.redis.arn
  }
}

output "redis_users" {
  description = "Per component (api, consumer): the cache user's id (= its name, what the component connects as) and arn (for elasticache:Connect)."
  value       = { for k, u in aws_elasticache_user.component : k => { id = u.user_id, arn = u.arn } }
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = {
    "storage/bucket-policy" = local.bucket_policy
  }
}
