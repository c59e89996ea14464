# One data bucket with prefixes (DESIGN.md): raw/, dead-letter/, prepared/, models/, config/,
# plus artifacts/ (deployed jars) and glue-temp/ (Spark scratch).

resource "aws_s3_bucket" "data" {
  bucket_prefix = "${var.name}-data-"
  force_destroy = !var.settings.deletion_protection
}

resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    # One data key per bucket instead of per object: ~99% fewer KMS calls for the many small
    # raw/ batches.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    id     = "all-noncurrent-and-multipart"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  rule {
    id     = "raw-tiering"
    status = "Enabled"
    # Every raw/ stream (the contract's raw_interactions_prefix and raw_exposures_prefix) tiers alike.
    filter {
      prefix = "raw/"
    }
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
    transition {
      days          = 90
      storage_class = "GLACIER_IR"
    }
    expiration {
      days = var.settings.raw_retention_days
    }
  }

  rule {
    id     = "dead-letter-expiry"
    status = "Enabled"
    filter {
      prefix = module.contract.s3.dead_letter_prefix
    }
    expiration {
      days = var.settings.dead_letter_retention_days
    }
  }

  rule {
    id     = "prepared-expiry"
    status = "Enabled"
    filter {
      prefix = module.contract.s3.prepared_prefix
    }
    # Each training run writes a fresh export; older ones only matter for debugging.
    expiration {
      days = 30
    }
  }

  rule {
    id     = "glue-temp-expiry"
    status = "Enabled"
    filter {
      prefix = "glue-temp/"
    }
    expiration {
      days = 2
    }
  }

  depends_on = [aws_s3_bucket_versioning.data]
}

locals {
  bucket_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # TLS only: every request over plain HTTP is refused, whoever makes it.
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "DenyOldTls"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
        Condition = { NumericLessThan = { "s3:TlsVersion" = "1.2" } }
      },
      {
        # Amazon Personalize dataset import jobs read the prepared CSV with this service
        # principal (in addition to the role passed to CreateDatasetImportJob).
        Sid       = "PersonalizeReadsPrepared"
        Effect    = "Allow"
        Principal = { Service = "personalize.amazonaws.com" }
        Action    = ["s3:GetObject", "s3:ListBucket"]
        Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/${module.contract.s3.prepared_prefix}*"]
        Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
      },
    ]
  })
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = local.bucket_policy

  depends_on = [aws_s3_bucket_public_access_block.data]
}
