locals {
  glue_artifacts_prefix = "${module.contract.s3.artifacts_prefix}glue-job/"
  prepared_prefix       = module.contract.s3.prepared_prefix
  # Bulk files teams drop for the Items and Users datasets (the stream's item and user records are under raw/).
  catalog_prefix      = module.contract.s3.catalog_import_prefix
  users_import_prefix = module.contract.s3.users_import_prefix
}

resource "aws_s3_object" "glue_jar" {
  bucket      = var.bucket.name
  key         = "${local.glue_artifacts_prefix}${basename(var.glue_jar_path)}"
  source      = var.glue_jar_path
  source_hash = filemd5(var.glue_jar_path)
  kms_key_id  = var.kms_key_arn
}

resource "aws_s3_object" "glue_script" {
  bucket      = var.bucket.name
  key         = "${local.glue_artifacts_prefix}${basename(var.glue_script_path)}"
  source      = var.glue_script_path
  source_hash = filemd5(var.glue_script_path)
  kms_key_id  = var.kms_key_arn
}

resource "aws_glue_security_configuration" "this" {
  name = "${var.name}-glue"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arn
    }
  }
}

locals {
  glue_job_name = "${var.name}-prepare-interactions"

  glue_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # raw/*: the consumer's raw/ streams the job reads, all of them under raw/ (the contract's raw_interactions_,
      # raw_exposures_, raw_items_ and raw_users_prefix); the bulk item and user files under their import prefixes.
      {
        Sid       = "List"
        Effect    = "Allow"
        Action    = "s3:ListBucket"
        Resource  = var.bucket.arn
        Condition = { StringLike = { "s3:prefix" = ["raw/*", "${local.catalog_prefix}*", "${local.users_import_prefix}*", "${local.prepared_prefix}*", "glue-temp/*", "${local.glue_artifacts_prefix}*"] } }
      },
      {
        Sid      = "ReadRawAndCode"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = ["${var.bucket.arn}/raw/*", "${var.bucket.arn}/${local.catalog_prefix}*", "${var.bucket.arn}/${local.users_import_prefix}*", "${var.bucket.arn}/${local.glue_artifacts_prefix}*"]
      },
      {
        Sid      = "WritePreparedAndTemp"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = ["${var.bucket.arn}/${local.prepared_prefix}*", "${var.bucket.arn}/glue-temp/*"]
      },
      {
        # SSE-KMS objects (raw/, prepared/, glue-temp/, the artefacts), encrypted and decrypted by S3. CloudWatch Logs
        # encrypts the job's logs with its own key-policy grant; job bookmarks (CSE-KMS) are not enabled.
        Sid       = "Kms"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"]
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "s3.${var.region}.amazonaws.com" } }
      },
      {
        # Glue names its continuous-logging groups after the security configuration.
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
        Resource = "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:/aws-glue/*"
      },
      {
        # PutMetricData has no resource-level permissions; limited to Glue's namespace.
        Sid       = "Metrics"
        Effect    = "Allow"
        Action    = "cloudwatch:PutMetricData"
        Resource  = "*"
        Condition = { StringEquals = { "cloudwatch:namespace" = "Glue" } }
      },
    ]
  })
}

resource "aws_iam_role" "glue" {
  name_prefix        = "${var.name}-glue-"
  assume_role_policy = local.service_trust["glue"]
}

resource "aws_iam_role_policy" "glue" {
  name   = "prepare-interactions"
  role   = aws_iam_role.glue.id
  policy = local.glue_policy
}

resource "aws_glue_job" "prepare" {
  name                   = local.glue_job_name
  description            = "Raw interactions -> Personalize CSV (glue-job module)"
  role_arn               = aws_iam_role.glue.arn
  glue_version           = "5.0"
  worker_type            = var.settings.glue_worker_type
  number_of_workers      = var.settings.glue_number_of_workers
  timeout                = 120
  max_retries            = 0 # Step Functions owns retries
  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    script_location = "s3://${var.bucket.name}/${aws_s3_object.glue_script.key}"
  }

  execution_property {
    max_concurrent_runs = 1
  }

  # The Java job runs as a "Scala" job: the Scala shim is the script, the jar is on the classpath.
  # --run-id, --window-end, --window-hours and --event-value come per run from the state machine.
  default_arguments = {
    "--job-language"                     = "scala"
    "--class"                            = var.settings.glue_class
    "--extra-jars"                       = "s3://${var.bucket.name}/${aws_s3_object.glue_jar.key}"
    "--TempDir"                          = "s3://${var.bucket.name}/glue-temp/"
    "--enable-metrics"                   = "true"
    "--enable-continuous-cloudwatch-log" = "true"
    "--enable-job-insights"              = "true"
    "--bucket-root"                      = "s3://${var.bucket.name}"
  }
}
