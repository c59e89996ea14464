# One customer-managed key per stack encrypts every store (Kinesis, S3, DynamoDB, ElastiCache,
# SNS, CloudWatch Logs, ECR, Glue, the Personalize dataset group). Access is still granted per component by the
# IAM policies in each module; the key policy only delegates to IAM and lets the AWS services that
# encrypt on our behalf use it.

locals {
  account_root = "arn:${var.partition}:iam::${var.account_id}:root"

  key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        # The standard key policy statement: without it the key becomes unmanageable and IAM
        # policies cannot grant use of it. In a key policy "Resource": "*" means this key only.
        Sid       = "DelegateToIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = local.account_root }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # CloudWatch Logs encrypts the stack's log groups; scoped to this account's log groups.
        Sid       = "CloudWatchLogs"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:*"
          }
        }
      },
      {
        # CloudWatch alarms and EventBridge Scheduler publish to the KMS-encrypted SNS topic.
        Sid       = "AlarmAndSchedulerPublishers"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "scheduler.amazonaws.com"] }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = var.account_id }
        }
      },
      {
        # Amazon Personalize encrypts the dataset group (and its imports) with this key: the service itself needs it
        # in the key policy, CreateGrant included (IAM cannot grant that to a service). Only on behalf of this account,
        # and only through Personalize; the dataset group's role gets the same actions by IAM (modules/training).
        Sid       = "PersonalizeDatasetGroup"
        Effect    = "Allow"
        Principal = { Service = "personalize.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = var.account_id }
        }
      },
    ]
  }
}

resource "aws_kms_key" "this" {
  description             = "${var.name}: encryption at rest for every data store of the stack"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.settings.key_deletion_window_days
  policy                  = jsonencode(local.key_policy)
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

