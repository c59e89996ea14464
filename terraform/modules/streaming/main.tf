resource "aws_kinesis_stream" "this" {
  name             = "${var.name}-interactions"
  shard_count      = var.settings.mode == "PROVISIONED" ? var.settings.shard_count : null
  retention_period = var.settings.retention_hours
  encryption_type  = "KMS"
  kms_key_id       = var.kms_key_arn

  # Per-shard metrics find a hot partition key (one very active user_id) behind a lagging shard.
  shard_level_metrics = [
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingRecords",
    "IteratorAgeMilliseconds",
    "ReadProvisionedThroughputExceeded",
    "WriteProvisionedThroughputExceeded",
  ]

  stream_mode_details {
    stream_mode = var.settings.mode
  }
}

# What a producer (the web tier, a batch import) needs to write interactions: PutRecord(s) on this stream and a
# data key of its customer-managed key, only through Kinesis. Created for the user to attach to the producer's role.
locals {
  # arn:aws:kinesis:<region>:<account>:stream/<name>: the stream's region names the Kinesis service of the condition.
  stream_region = element(split(":", aws_kinesis_stream.this.arn), 3)

  producer_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PutInteractions"
        Effect   = "Allow"
        Action   = ["kinesis:PutRecord", "kinesis:PutRecords"]
        Resource = aws_kinesis_stream.this.arn
      },
      {
        Sid       = "StreamKey"
        Effect    = "Allow"
        Action    = "kms:GenerateDataKey"
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "kinesis.${local.stream_region}.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_iam_policy" "producer" {
  name_prefix = "${var.name}-interactions-producer-"
  description = "Write interactions to ${aws_kinesis_stream.this.name} (attach to a producer's role)"
  policy      = local.producer_policy
}
