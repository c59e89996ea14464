# Table layouts follow the contract (common/contract/recsys-contract.json, tables.*), which the Java key
# classes read too. interactions: PK user_id, SK event_id (a producer retry of an event is the same row,
# whatever its timestamp); LSI TimeIndex and GSI ItemIndex sort by event_time.

module "contract" {
  source        = "../contract"
  contract_file = var.contract_file
  name          = var.name
}

locals {
  tables       = module.contract.tables
  interactions = local.tables.interactions
}

resource "aws_dynamodb_table" "interactions" {
  name                        = module.contract.table_names.interactions
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = local.interactions.hash_key
  range_key                   = local.interactions.range_key
  deletion_protection_enabled = var.settings.deletion_protection

  attribute {
    name = local.interactions.hash_key
    type = "S"
  }
  attribute {
    name = local.interactions.range_key
    type = "S"
  }
  attribute {
    name = local.interactions.item_index_hash_key
    type = "S"
  }
  attribute {
    name = local.interactions.event_time
    type = "N"
  }

  local_secondary_index {
    name            = local.interactions.time_index
    range_key       = local.interactions.event_time
    projection_type = "ALL"
  }

  # Keys only: the API asks it whether an item has any interaction; all attributes would double the write bill.
  global_secondary_index {
    name            = local.interactions.item_index
    hash_key        = local.interactions.item_index_hash_key
    range_key       = local.interactions.event_time
    projection_type = "KEYS_ONLY"
  }

  ttl {
    attribute_name = local.interactions.ttl
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}

resource "aws_dynamodb_table" "user_profiles" {
  name                        = module.contract.table_names.user_profiles
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = local.tables.user_profiles.hash_key
  deletion_protection_enabled = var.settings.deletion_protection

  attribute {
    name = local.tables.user_profiles.hash_key
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}

# The catalog (common/…/keys/ItemKeys.java; offline: the consumer's StoreBootstrap): PK item_id, one row per
# item. The consumer is its only writer (PutItem conditional on the row's revision, deletes kept as tombstones);
# the API reads it to filter fallback answers and to return item metadata.
resource "aws_dynamodb_table" "items" {
  name                        = module.contract.table_names.items
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = local.tables.items.hash_key
  deletion_protection_enabled = var.settings.deletion_protection

  attribute {
    name = local.tables.items.hash_key
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}

# The online loop's tables (common/…/keys/ExperimentKeys.java; the offline twin is the consumer's
# StoreBootstrap): the consumer is their only writer, the API and the pipeline read the results.
#   exposures        PK user_id, SK recommendation_id; LSI TimeIndex on exposed_at (the attribution
#                    window query needs every attribute: projection ALL); rows expire (ttl).
#   experiment_users PK user_id, SK arm (experiment|route|variant): per-user counters; expire (ttl).
#   experiments      PK experiment, SK arm (route|variant): the results, rewritten every minute.
locals {
  experiment_tables = {
    exposures = {
      name       = module.contract.table_names.exposures
      hash_key   = { name = local.tables.exposures.hash_key, type = "S" }
      range_key  = { name = local.tables.exposures.range_key, type = "S" }
      time_index = { name = local.tables.exposures.time_index, range_key = local.tables.exposures.exposed_at, type = "N" }
      ttl        = local.tables.exposures.ttl
    }
    experiment_users = {
      name       = module.contract.table_names.experiment_users
      hash_key   = { name = local.tables.experiment_users.hash_key, type = "S" }
      range_key  = { name = local.tables.experiment_users.range_key, type = "S" }
      time_index = null
      ttl        = local.tables.experiment_users.ttl
    }
    experiments = {
      name       = module.contract.table_names.experiments
      hash_key   = { name = local.tables.experiments.hash_key, type = "S" }
      range_key  = { name = local.tables.experiments.range_key, type = "S" }
      time_index = null
      ttl        = null
    }
  }
}

resource "aws_dynamodb_table" "experiment" {
  for_each                    = local.experiment_tables
  name                        = each.value.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key.name
  range_key                   = each.value.range_key.name
  deletion_protection_enabled = var.settings.deletion_protection

  dynamic "attribute" {
    for_each = concat([each.value.hash_key, each.value.range_key],
    each.value.time_index == null ? [] : [{ name = each.value.time_index.range_key, type = each.value.time_index.type }])
    content {
      name = attribute.value.name
      type = attribute.value.type
    }
  }

  dynamic "local_secondary_index" {
    for_each = each.value.time_index == null ? [] : [each.value.time_index]
    content {
      name            = local_secondary_index.value.name
      range_key       = local_secondary_index.value.range_key
      projection_type = "ALL"
    }
  }

  dynamic "ttl" {
    for_each = each.value.ttl == null ? [] : [each.value.ttl]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}

# KCL 2.x lease table (name = application name, hash key leaseKey). Created here so it is
# KMS-encrypted and protected, and so the consumer needs no dynamodb:CreateTable.
resource "aws_dynamodb_table" "kcl_leases" {
  name                        = var.kcl_application_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "leaseKey"
  deletion_protection_enabled = var.settings.deletion_protection

  attribute {
    name = "leaseKey"
    type = "S"
  }

  # Checkpoints live here: restoring them avoids a full replay after an accidental overwrite.
  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
