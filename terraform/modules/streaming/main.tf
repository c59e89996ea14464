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
