# Table layouts follow common/…/keys/InteractionKeys.java: PK user_id, SK event_id (a producer retry of an
# event is the same row, whatever its timestamp); LSI TimeIndex and GSI ItemIndex sort by event_time.

resource "aws_dynamodb_table" "interactions" {
  name                        = "${var.name}-interactions"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "user_id"
  range_key                   = "event_id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "user_id"
    type = "S"
  }
  attribute {
    name = "event_id"
    type = "S"
  }
  attribute {
    name = "item_id"
    type = "S"
  }
  attribute {
    name = "event_time"
    type = "N"
  }

  local_secondary_index {
    name            = "TimeIndex"
    range_key       = "event_time"
    projection_type = "ALL"
  }

  # Keys only: the API asks it whether an item has any interaction; all attributes would double the write bill.
  global_secondary_index {
    name            = "ItemIndex"
    hash_key        = "item_id"
    range_key       = "event_time"
    projection_type = "KEYS_ONLY"
  }

  ttl {
    attribute_name = "ttl"
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
  name                        = "${var.name}-user-profiles"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "user_id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "user_id"
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

# KCL 2.x lease table (name = application name, hash key leaseKey). Created here so it is
# KMS-encrypted and protected, and so the consumer needs no dynamodb:CreateTable.
resource "aws_dynamodb_table" "kcl_leases" {
  name                        = var.kcl_application_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "leaseKey"
  deletion_protection_enabled = var.deletion_protection

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
