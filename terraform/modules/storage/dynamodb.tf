# Table layouts follow the contract (common/contract/recsys-contract.json, tables.*), which the Java key
# classes read too.

module "contract" {
  source        = "../contract"
  contract_file = var.contract_file
  name          = var.name
}

locals {
  tables       = module.contract.tables
  interactions = local.tables.interactions

  # Every table of the stack, one layout each; one resource below makes them all, so encryption, PITR, deletion
  # protection and billing cannot differ between tables. range_key, lsi, gsi and ttl are null where a table has none.
  #   interactions     PK user_id, SK event_id (a producer retry of an event is the same row, whatever its timestamp);
  #                    LSI TimeIndex (a user's latest events, ALL) and GSI ItemIndex (keys only: the API asks it whether
  #                    an item has any interaction; all attributes would double the write bill), both on event_time.
  #   user_profiles    PK user_id.
  #   items            the catalog (common/…/keys/ItemKeys.java), PK item_id, one row per item. The consumer is its only
  #                    writer (PutItem conditional on the row's revision, deletes kept as tombstones); the API reads it
  #                    to filter fallback answers and to return item metadata.
  #   users            user metadata (common/…/keys/UserKeys.java, Personalize's Users dataset), PK user_id, one row per
  #                    user, with the items table's rules (the consumer its only writer, conditional on revision,
  #                    tombstones); the API reads it for IF CurrentUser conditions on fallback answers.
  #   exposures        PK user_id, SK recommendation_id; LSI TimeIndex on exposed_at (the attribution window query
  #                    needs every attribute: ALL); rows expire (ttl).
  #   experiment_users PK user_id, SK arm (experiment|route|variant): per-user counters; expire (ttl).
  #   experiments      PK experiment, SK arm (route|variant): the results, rewritten every minute.
  #   kcl_leases       KCL 2.x lease table (name = application name, hash key leaseKey); created here so it is
  #                    encrypted and protected and the consumer needs no dynamodb:CreateTable. Checkpoints live here:
  #                    PITR avoids a full replay after an accidental overwrite.
  # The online loop's tables (exposures, experiment_users, experiments: common/…/keys/ExperimentKeys.java) are written
  # by the consumer only; the API and the pipeline read the results. Offline, the consumer's StoreBootstrap makes the
  # same layouts.
  experiment_table_keys = ["exposures", "experiment_users", "experiments"]
  table_layouts = {
    interactions = {
      name      = module.contract.table_names.interactions
      hash_key  = { name = local.interactions.hash_key, type = "S" }
      range_key = { name = local.interactions.range_key, type = "S" }
      lsi       = { name = local.interactions.time_index, range_key = local.interactions.event_time, type = "N" }
      gsi       = { name = local.interactions.item_index, hash_key = local.interactions.item_index_hash_key, range_key = local.interactions.event_time, type = "N", projection = "KEYS_ONLY" }
      ttl       = local.interactions.ttl
    }
    user_profiles = {
      name      = module.contract.table_names.user_profiles
      hash_key  = { name = local.tables.user_profiles.hash_key, type = "S" }
      range_key = null
      lsi       = null
      gsi       = null
      ttl       = null
    }
    items = {
      name      = module.contract.table_names.items
      hash_key  = { name = local.tables.items.hash_key, type = "S" }
      range_key = null
      lsi       = null
      gsi       = null
      ttl       = null
    }
    users = {
      name      = module.contract.table_names.users
      hash_key  = { name = local.tables.users.hash_key, type = "S" }
      range_key = null
      lsi       = null
      gsi       = null
      ttl       = null
    }
    exposures = {
      name      = module.contract.table_names.exposures
      hash_key  = { name = local.tables.exposures.hash_key, type = "S" }
      range_key = { name = local.tables.exposures.range_key, type = "S" }
      lsi       = { name = local.tables.exposures.time_index, range_key = local.tables.exposures.exposed_at, type = "N" }
      gsi       = null
      ttl       = local.tables.exposures.ttl
    }
    experiment_users = {
      name      = module.contract.table_names.experiment_users
      hash_key  = { name = local.tables.experiment_users.hash_key, type = "S" }
      range_key = { name = local.tables.experiment_users.range_key, type = "S" }
      lsi       = null
      gsi       = null
      ttl       = local.tables.experiment_users.ttl
    }
    experiments = {
      name      = module.contract.table_names.experiments
      hash_key  = { name = local.tables.experiments.hash_key, type = "S" }
      range_key = { name = local.tables.experiments.range_key, type = "S" }
      lsi       = null
      gsi       = null
      ttl       = null
    }
    kcl_leases = {
      name      = var.kcl_application_name
      hash_key  = { name = "leaseKey", type = "S" }
      range_key = null
      lsi       = null
      gsi       = null
      ttl       = null
    }
  }
}

resource "aws_dynamodb_table" "table" {
  for_each                    = local.table_layouts
  name                        = each.value.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key.name
  range_key                   = try(each.value.range_key.name, null)
  deletion_protection_enabled = var.settings.deletion_protection

  # Each key attribute once (the interactions table's two indexes share event_time).
  dynamic "attribute" {
    for_each = merge(
      { (each.value.hash_key.name) = each.value.hash_key.type },
      each.value.range_key == null ? {} : { (each.value.range_key.name) = each.value.range_key.type },
      each.value.lsi == null ? {} : { (each.value.lsi.range_key) = each.value.lsi.type },
      each.value.gsi == null ? {} : { (each.value.gsi.hash_key) = "S", (each.value.gsi.range_key) = each.value.gsi.type },
    )
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "local_secondary_index" {
    for_each = each.value.lsi == null ? [] : [each.value.lsi]
    content {
      name            = local_secondary_index.value.name
      range_key       = local_secondary_index.value.range_key
      projection_type = "ALL"
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.gsi == null ? [] : [each.value.gsi]
    content {
      name            = global_secondary_index.value.name
      hash_key        = global_secondary_index.value.hash_key
      range_key       = global_secondary_index.value.range_key
      projection_type = global_secondary_index.value.projection
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

# Deployments made before the tables shared one resource keep their tables (no replacement).
moved {
  from = aws_dynamodb_table.interactions
  to   = aws_dynamodb_table.table["interactions"]
}
moved {
  from = aws_dynamodb_table.user_profiles
  to   = aws_dynamodb_table.table["user_profiles"]
}
moved {
  from = aws_dynamodb_table.items
  to   = aws_dynamodb_table.table["items"]
}
moved {
  from = aws_dynamodb_table.kcl_leases
  to   = aws_dynamodb_table.table["kcl_leases"]
}
moved {
  from = aws_dynamodb_table.experiment["exposures"]
  to   = aws_dynamodb_table.table["exposures"]
}
moved {
  from = aws_dynamodb_table.experiment["experiment_users"]
  to   = aws_dynamodb_table.table["experiment_users"]
}
moved {
  from = aws_dynamodb_table.experiment["experiments"]
  to   = aws_dynamodb_table.table["experiments"]
}
