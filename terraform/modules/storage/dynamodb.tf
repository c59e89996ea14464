# Table layouts follow common/…/keys/InteractionKeys.java: PK user_id, SK "<13-digit ms>#<event_id>".

resource "aws_dynamodb_table" "interactions" {
  name                        = "${var.name}-interactions"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "user_id"
  range_key                   = "sk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "user_id"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "item_id"
    type = "S"
  }

  global_secondary_index {
    name            = "ItemIndex"
    hash_key        = "item_id"
    range_key       = "sk"
    projection_type = "ALL"
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
