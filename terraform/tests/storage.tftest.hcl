# Storage invariants: encryption at rest on every store, TLS-only access, the table layouts of
# DESIGN.md, and Redis with TLS, IAM-authenticated users (no password anywhere) and multi-AZ.

mock_provider "aws" {
  source = "./tests/mocks"

  # The mocks give every table one ARN: the catalogs get their own, so their outputs are told apart.
  override_resource {
    target = aws_dynamodb_table.table["items"]
    values = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-items" }
  }
  override_resource {
    target = aws_dynamodb_table.table["users"]
    values = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-users" }
  }
}

# Shared fixtures (account, key, subnets): tests/terraform.tfvars (`vpc` takes its subnet_ids).
variables {
  name                 = "recsys"
  kcl_application_name = "recsys-kcl-consumer"
  vpc                  = { subnet_ids = var.subnet_ids, security_group_id = "sg-redis" }
  contract             = jsondecode(file("../common/contract/recsys-contract.json"))
  renamed              = jsondecode(file("tests/fixtures/renamed-contract.json"))

  # The key names as the contract defines them; ExperimentKeys.java loads the same file (common's ContractTest
  # maps every value to the constant the Java code uses). Spelled out here so each assertion reads like the Java.
  experiment_keys = {
    USER_ID             = jsondecode(file("../common/contract/recsys-contract.json")).tables.exposures.hash_key
    RECOMMENDATION_ID   = jsondecode(file("../common/contract/recsys-contract.json")).tables.exposures.range_key
    EXPOSED_AT          = jsondecode(file("../common/contract/recsys-contract.json")).tables.exposures.exposed_at
    EXPOSURE_TIME_INDEX = jsondecode(file("../common/contract/recsys-contract.json")).tables.exposures.time_index
    TTL                 = jsondecode(file("../common/contract/recsys-contract.json")).tables.exposures.ttl
    ARM                 = jsondecode(file("../common/contract/recsys-contract.json")).tables.experiment_users.range_key
    EXPERIMENT          = jsondecode(file("../common/contract/recsys-contract.json")).tables.experiments.hash_key
  }
}

run "storage" {
  command = apply

  module {
    source = "./modules/storage"
  }

  # ---- encryption at rest ----
  assert {
    condition = alltrue([for r in aws_s3_bucket_server_side_encryption_configuration.data.rule :
      r.apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
    r.apply_server_side_encryption_by_default[0].kms_master_key_id == var.kms_key_arn])
    error_message = "The bucket must default to SSE-KMS with the stack key."
  }

  # One resource makes every table, so the checks over its instances cover the whole stack.
  assert {
    condition     = toset(keys(aws_dynamodb_table.table)) == toset(["interactions", "user_profiles", "items", "users", "exposures", "experiment_users", "experiments", "kcl_leases"])
    error_message = "The stack has exactly eight tables: interactions, user_profiles, items, users, the three of the online loop, and the KCL leases."
  }

  assert {
    condition = alltrue([for t in values(aws_dynamodb_table.table) :
    t.server_side_encryption[0].enabled && t.server_side_encryption[0].kms_key_arn == var.kms_key_arn])
    error_message = "Every DynamoDB table must be encrypted with the stack key."
  }

  assert {
    condition     = tostring(aws_elasticache_replication_group.redis.at_rest_encryption_enabled) == "true" && aws_elasticache_replication_group.redis.kms_key_id == var.kms_key_arn
    error_message = "Redis must be encrypted at rest with the stack key."
  }


  assert {
    condition     = aws_cloudwatch_log_group.redis_slow.kms_key_id == var.kms_key_arn
    error_message = "The Redis slow-log group must be KMS-encrypted."
  }

  # ---- nobody at large ----
  # A statement for Principal "*" (or {AWS = "*"}) may only deny; and an Allow of any principal carries a condition.
  assert {
    condition = alltrue([for s in jsondecode(aws_s3_bucket_policy.data.policy).Statement :
      (s.Effect == "Deny" && length(try(s.Condition, {})) > 0) || (s.Effect == "Allow" && !contains(flatten([try(s.Principal.AWS, s.Principal)]), "*") && length(try(s.Condition, {})) > 0)
    ]) && length(jsondecode(aws_s3_bucket_policy.data.policy).Statement) >= 3
    error_message = "The bucket policy must not allow Principal \"*\": statements for everyone only deny (under a condition), and every Allow is conditioned."
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
    aws_elasticache_replication_group.redis.auth_token == null)
    error_message = "Redis must require TLS in transit and have no AUTH token (a password in state): callers use IAM users."
  }

  # ---- who may use the cache: one IAM user per component, with the contract's access string ----
  assert {
    condition = (keys(aws_elasticache_user.component) == keys(var.contract.redis.users) &&
      alltrue([for k, u in aws_elasticache_user.component :
        u.user_id == "recsys-${var.contract.redis.users[k].name_suffix}" && u.user_name == u.user_id &&
        u.authentication_mode[0].type == "iam" && u.access_string == var.contract.redis.users[k].access_string &&
    length(coalesce(u.passwords, [])) == 0]))
    error_message = "Each component of the contract's redis.users is an ElastiCache user with IAM authentication (user id = user name, as IAM requires), no password, and the contract's access string."
  }

  assert {
    condition = (aws_elasticache_user.default.user_name == "default" && startswith(aws_elasticache_user.default.access_string, "off ") &&
      toset(aws_elasticache_user_group.cache.user_ids) == toset(concat([aws_elasticache_user.default.user_id], [for u in aws_elasticache_user.component : u.user_id])) &&
    aws_elasticache_replication_group.redis.user_group_ids == toset([aws_elasticache_user_group.cache.user_group_id]))
    error_message = "The cache admits only its user group: the component users and a switched-off default user (a group must hold one named default)."
  }

  assert {
    condition     = output.redis_users.api.id == aws_elasticache_user.component["api"].user_id && output.redis_cache.name == aws_elasticache_replication_group.redis.id
    error_message = "The module gives each component its user id and the cache's name (what IAM tokens are signed for)."
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
    condition = alltrue([for t in values(aws_dynamodb_table.table) :
    t.point_in_time_recovery[0].enabled && t.deletion_protection_enabled])
    error_message = "Tables need PITR and deletion protection."
  }

  # ---- table layout (common/…/InteractionKeys.java) ----
  assert {
    condition = (aws_dynamodb_table.table["interactions"].hash_key == "user_id" && aws_dynamodb_table.table["interactions"].range_key == "event_id" &&
      anytrue([for g in aws_dynamodb_table.table["interactions"].global_secondary_index : g.name == "ItemIndex" && g.hash_key == "item_id" && g.range_key == "event_time"]) &&
      anytrue([for l in aws_dynamodb_table.table["interactions"].local_secondary_index : l.name == "TimeIndex" && l.range_key == "event_time"]) &&
    aws_dynamodb_table.table["interactions"].ttl[0].enabled && aws_dynamodb_table.table["interactions"].ttl[0].attribute_name == "ttl")
    error_message = "interactions: PK user_id, SK event_id, LSI TimeIndex and GSI ItemIndex (item_id) on event_time, TTL on ttl."
  }

  # ---- the catalogs (common/…/keys/ItemKeys.java, UserKeys.java): one row per id, written by the consumer ----
  assert {
    condition = alltrue([for k, id in { items = var.contract.tables.items.hash_key, users = var.contract.tables.users.hash_key } :
      aws_dynamodb_table.table[k].name == "recsys-${var.contract.tables[k].suffix}" && aws_dynamodb_table.table[k].hash_key == id &&
      aws_dynamodb_table.table[k].range_key == null && [for a in aws_dynamodb_table.table[k].attribute : "${a.name}:${a.type}"] == ["${id}:S"] &&
      length(aws_dynamodb_table.table[k].local_secondary_index) == 0 && length(aws_dynamodb_table.table[k].global_secondary_index) == 0 &&
      !try(aws_dynamodb_table.table[k].ttl[0].enabled, false)
    ]) && aws_dynamodb_table.table["users"].name == "recsys-users" && aws_dynamodb_table.table["users"].hash_key == "user_id"
    error_message = "items and users: <name>-items PK item_id and <name>-users PK user_id (string), no sort key, no index, no ttl (tombstones are kept)."
  }

  assert {
    condition = (output.users_table == { name = aws_dynamodb_table.table["users"].name, arn = aws_dynamodb_table.table["users"].arn } &&
      output.items_table == { name = aws_dynamodb_table.table["items"].name, arn = aws_dynamodb_table.table["items"].arn } &&
    output.users_table.arn != output.items_table.arn)
    error_message = "users_table and items_table hand out their table's name and ARN."
  }

  assert {
    condition     = aws_dynamodb_table.table["kcl_leases"].name == "recsys-kcl-consumer" && aws_dynamodb_table.table["kcl_leases"].hash_key == "leaseKey"
    error_message = "The lease table is named after the KCL application and keyed by leaseKey."
  }

  # ---- the online loop's tables (common/…/keys/ExperimentKeys.java, kcl-consumer's StoreBootstrap) ----
  # Key names are the contract's (var.experiment_keys), which ExperimentKeys.java loads: a copy on either side fails.
  assert {
    condition     = { for k, t in aws_dynamodb_table.table : k => t.name if contains(["exposures", "experiment_users", "experiments"], k) } == { exposures = "recsys-exposures", experiment_users = "recsys-experiment-users", experiments = "recsys-experiments" }
    error_message = "The online loop needs exactly three tables: <name>-exposures, <name>-experiment-users, <name>-experiments."
  }

  assert {
    condition = (aws_dynamodb_table.table["exposures"].hash_key == var.experiment_keys.USER_ID &&
      aws_dynamodb_table.table["exposures"].range_key == var.experiment_keys.RECOMMENDATION_ID &&
      toset([for a in aws_dynamodb_table.table["exposures"].attribute : "${a.name}:${a.type}"]) == toset(["${var.experiment_keys.USER_ID}:S", "${var.experiment_keys.RECOMMENDATION_ID}:S", "${var.experiment_keys.EXPOSED_AT}:N"]) &&
      length(aws_dynamodb_table.table["exposures"].global_secondary_index) == 0 &&
      [for l in aws_dynamodb_table.table["exposures"].local_secondary_index : [l.name, l.range_key, l.projection_type]] == [[var.experiment_keys.EXPOSURE_TIME_INDEX, var.experiment_keys.EXPOSED_AT, "ALL"]] &&
    aws_dynamodb_table.table["exposures"].ttl[0].enabled && aws_dynamodb_table.table["exposures"].ttl[0].attribute_name == var.experiment_keys.TTL)
    error_message = "exposures: PK user_id (S), SK recommendation_id (S), LSI TimeIndex on exposed_at (N) projecting ALL, TTL on ttl."
  }

  assert {
    condition = (aws_dynamodb_table.table["experiment_users"].hash_key == var.experiment_keys.USER_ID &&
      aws_dynamodb_table.table["experiment_users"].range_key == var.experiment_keys.ARM &&
      toset([for a in aws_dynamodb_table.table["experiment_users"].attribute : "${a.name}:${a.type}"]) == toset(["${var.experiment_keys.USER_ID}:S", "${var.experiment_keys.ARM}:S"]) &&
      length(aws_dynamodb_table.table["experiment_users"].local_secondary_index) == 0 &&
    aws_dynamodb_table.table["experiment_users"].ttl[0].enabled && aws_dynamodb_table.table["experiment_users"].ttl[0].attribute_name == var.experiment_keys.TTL)
    error_message = "experiment_users: PK user_id (S), SK arm (S), no index, TTL on ttl."
  }

  assert {
    condition = (aws_dynamodb_table.table["experiments"].hash_key == var.experiment_keys.EXPERIMENT &&
      aws_dynamodb_table.table["experiments"].range_key == var.experiment_keys.ARM &&
      toset([for a in aws_dynamodb_table.table["experiments"].attribute : "${a.name}:${a.type}"]) == toset(["${var.experiment_keys.EXPERIMENT}:S", "${var.experiment_keys.ARM}:S"]) &&
    length(aws_dynamodb_table.table["experiments"].local_secondary_index) == 0 && !try(aws_dynamodb_table.table["experiments"].ttl[0].enabled, false))
    error_message = "experiments: PK experiment (S), SK arm (S), no index; results rows carry no ttl and never expire."
  }

  assert {
    condition = alltrue([for t in values(aws_dynamodb_table.table) :
      t.server_side_encryption[0].enabled && t.server_side_encryption[0].kms_key_arn == var.kms_key_arn &&
    t.point_in_time_recovery[0].enabled && t.deletion_protection_enabled && t.billing_mode == "PAY_PER_REQUEST"])
    error_message = "Every table (the online loop's, the catalogs' items and users, ...) is encrypted with the stack key, has PITR and deletion protection, and bills per request like the others."
  }

  assert {
    condition = (output.interactions_item_index_name == var.contract.tables.interactions.item_index &&
    output.exposures_time_index_name == var.experiment_keys.EXPOSURE_TIME_INDEX)
    error_message = "The index names handed to the API and the consumer (for IAM) are the ones the Java code queries (InteractionKeys.ITEM_INDEX, ExperimentKeys.EXPOSURE_TIME_INDEX)."
  }

  assert {
    condition     = output.experiment_tables.exposures.name == "recsys-exposures" && output.experiment_tables.experiments.arn == aws_dynamodb_table.table["experiments"].arn
    error_message = "experiment_tables hands out each table's name and ARN by role."
  }
}

# ---- the contract (common/contract/recsys-contract.json) ----
# Every table name, key, index and ttl attribute is the contract's value, with the repository's contract and
# with a renamed one (so a literal written again in Terraform, even an equal one, fails the second run).
run "tables_follow_the_contract" {
  command = apply

  module {
    source = "./modules/storage"
  }

  assert {
    condition = (aws_dynamodb_table.table["interactions"].hash_key == var.contract.tables.interactions.hash_key && var.contract.tables.interactions.hash_key == "user_id" &&
      aws_dynamodb_table.table["interactions"].range_key == var.contract.tables.interactions.range_key && var.contract.tables.interactions.range_key == "event_id" &&
      aws_dynamodb_table.table["interactions"].name == "recsys-${var.contract.tables.interactions.suffix}" && aws_dynamodb_table.table["user_profiles"].name == "recsys-${var.contract.tables.user_profiles.suffix}" &&
      aws_dynamodb_table.table["user_profiles"].hash_key == var.contract.tables.user_profiles.hash_key &&
    aws_dynamodb_table.table["users"].name == "recsys-${var.contract.tables.users.suffix}" && aws_dynamodb_table.table["users"].hash_key == var.contract.tables.users.hash_key)
    error_message = "The interactions, user_profiles and users tables take their names and keys from the contract (interactions PK user_id, SK event_id)."
  }
}

run "tables_follow_a_renamed_contract" {
  command = apply

  module {
    source = "./modules/storage"
  }

  variables {
    contract_file = var.renamed_contract_file
  }

  assert {
    condition = (aws_dynamodb_table.table["interactions"].name == "recsys-${var.renamed.tables.interactions.suffix}" &&
      aws_dynamodb_table.table["interactions"].hash_key == var.renamed.tables.interactions.hash_key && aws_dynamodb_table.table["interactions"].range_key == var.renamed.tables.interactions.range_key &&
      toset([for a in aws_dynamodb_table.table["interactions"].attribute : "${a.name}:${a.type}"]) == toset(["${var.renamed.tables.interactions.hash_key}:S", "${var.renamed.tables.interactions.range_key}:S", "${var.renamed.tables.interactions.item_index_hash_key}:S", "${var.renamed.tables.interactions.event_time}:N"]) &&
      [for g in aws_dynamodb_table.table["interactions"].global_secondary_index : [g.name, g.hash_key, g.range_key]] == [[var.renamed.tables.interactions.item_index, var.renamed.tables.interactions.item_index_hash_key, var.renamed.tables.interactions.event_time]] &&
      [for l in aws_dynamodb_table.table["interactions"].local_secondary_index : [l.name, l.range_key]] == [[var.renamed.tables.interactions.time_index, var.renamed.tables.interactions.event_time]] &&
    aws_dynamodb_table.table["interactions"].ttl[0].attribute_name == var.renamed.tables.interactions.ttl && output.interactions_item_index_name == var.renamed.tables.interactions.item_index)
    error_message = "interactions: name suffix, keys, attributes, ItemIndex, TimeIndex and ttl must all come from the contract."
  }

  assert {
    condition = (aws_dynamodb_table.table["user_profiles"].name == "recsys-${var.renamed.tables.user_profiles.suffix}" && aws_dynamodb_table.table["user_profiles"].hash_key == var.renamed.tables.user_profiles.hash_key &&
      alltrue([for k in ["exposures", "experiment_users", "experiments"] : aws_dynamodb_table.table[k].name == "recsys-${var.renamed.tables[k].suffix}" &&
      aws_dynamodb_table.table[k].hash_key == var.renamed.tables[k].hash_key && aws_dynamodb_table.table[k].range_key == var.renamed.tables[k].range_key]) &&
      [for l in aws_dynamodb_table.table["exposures"].local_secondary_index : [l.name, l.range_key]] == [[var.renamed.tables.exposures.time_index, var.renamed.tables.exposures.exposed_at]] &&
      aws_dynamodb_table.table["exposures"].ttl[0].attribute_name == var.renamed.tables.exposures.ttl && aws_dynamodb_table.table["experiment_users"].ttl[0].attribute_name == var.renamed.tables.experiment_users.ttl &&
    output.exposures_time_index_name == var.renamed.tables.exposures.time_index)
    error_message = "user_profiles and the online loop's tables: name suffixes, keys, the exposures TimeIndex and the ttl attributes must come from the contract."
  }

  assert {
    condition = (aws_dynamodb_table.table["items"].name == "recsys-${var.renamed.tables.items.suffix}" && aws_dynamodb_table.table["items"].hash_key == var.renamed.tables.items.hash_key &&
      aws_dynamodb_table.table["items"].range_key == null && [for a in aws_dynamodb_table.table["items"].attribute : "${a.name}:${a.type}"] == ["${var.renamed.tables.items.hash_key}:S"] &&
    output.items_table.name == aws_dynamodb_table.table["items"].name)
    error_message = "The catalog table takes its name suffix and key from the contract (one string hash key, no sort key)."
  }

  assert {
    condition = (aws_dynamodb_table.table["users"].name == "recsys-${var.renamed.tables.users.suffix}" && aws_dynamodb_table.table["users"].hash_key == var.renamed.tables.users.hash_key &&
      aws_dynamodb_table.table["users"].range_key == null && [for a in aws_dynamodb_table.table["users"].attribute : "${a.name}:${a.type}"] == ["${var.renamed.tables.users.hash_key}:S"] &&
    output.users_table.name == "recsys-Xusers")
    error_message = "The users table takes its name suffix and key from the contract (one string hash key, no sort key)."
  }

  assert {
    condition = (alltrue([for p in [var.renamed.s3.dead_letter_prefix, var.renamed.s3.prepared_prefix] : anytrue([for r in aws_s3_bucket_lifecycle_configuration.data.rule : try(r.filter[0].prefix, "") == p && length(r.expiration) > 0])]) &&
    contains(one([for s in jsondecode(aws_s3_bucket_policy.data.policy).Statement : s.Resource if s.Sid == "PersonalizeReadsPrepared"]), "${aws_s3_bucket.data.arn}/${var.renamed.s3.prepared_prefix}*"))
    error_message = "The dead-letter and prepared lifecycle rules and Personalize's read grant use the contract's prefixes."
  }
}

run "single_node_redis_is_rejected" {
  command = plan

  module {
    source = "./modules/storage"
  }

  variables {
    settings = { redis_replicas = 1 }
  }

  expect_failures = [var.settings]
}
