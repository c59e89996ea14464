# Encryption and TLS on the remaining stores: stream, secret, topic; the key rotates.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "security" {
  command = apply

  module {
    source = "./modules/security"
  }

  variables {
    name       = "recsys"
    account_id = "123456789012"
    region     = "eu-west-1"
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_secretsmanager_secret.redis_auth.kms_key_id == aws_kms_key.this.arn
    error_message = "The key rotates and the Redis AUTH secret is encrypted with it."
  }

  assert {
    condition     = length(aws_secretsmanager_secret_version.redis_auth.secret_string) >= 16
    error_message = "The AUTH token comes from Secrets Manager's generator."
  }
}

run "streaming" {
  command = apply

  module {
    source = "./modules/streaming"
  }

  variables {
    name            = "recsys"
    stream_mode     = "PROVISIONED"
    shard_count     = 4
    retention_hours = 168
    kms_key_arn     = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = aws_kinesis_stream.this.encryption_type == "KMS" && aws_kinesis_stream.this.kms_key_id == var.kms_key_arn
    error_message = "The stream is KMS-encrypted."
  }

  assert {
    condition     = aws_kinesis_stream.this.shard_count == 4 && contains(aws_kinesis_stream.this.shard_level_metrics, "IteratorAgeMilliseconds")
    error_message = "Provisioned shards and shard-level metrics."
  }
}

run "streaming_on_demand" {
  command = apply

  module {
    source = "./modules/streaming"
  }

  variables {
    name            = "recsys"
    stream_mode     = "ON_DEMAND"
    shard_count     = 4
    retention_hours = 24
    kms_key_arn     = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  }

  assert {
    condition     = aws_kinesis_stream.this.stream_mode_details[0].stream_mode == "ON_DEMAND"
    error_message = "On-demand capacity by variable."
  }
}

run "monitoring" {
  command = apply

  module {
    source = "./modules/monitoring"
  }

  variables {
    name         = "recsys"
    region       = "eu-west-1"
    account_id   = "123456789012"
    kms_key_arn  = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
    alarm_emails = ["oncall@example.com"]
    stream_name  = "recsys-interactions"
    bucket_name  = "recsys-data"
    consumer     = { cluster_name = "recsys", service_name = "kcl-consumer", metrics_namespace = "recsys/kcl-consumer", min_count = 2 }
    api          = { rest_api_name = "recsys-api", stage_name = "v1", function_name = "recsys-api", alias_name = "live" }
    redis        = { replication_group_id = "recsys-cache", nodes = 2 }
    table_names  = { interactions = "recsys-interactions", user-profiles = "recsys-user-profiles", kcl-leases = "recsys-kcl-consumer" }
    training     = { state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:recsys-training", function_name = "recsys-training", glue_job_name = "recsys-prepare-interactions" }
  }

  assert {
    condition     = aws_sns_topic.alerts.kms_master_key_id == var.kms_key_arn
    error_message = "The alerts topic is KMS-encrypted."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.simple : contains(a.alarm_actions, aws_sns_topic.alerts.arn)]) && contains(aws_cloudwatch_metric_alarm.api_p99_latency.alarm_actions, aws_sns_topic.alerts.arn)
    error_message = "Every alarm notifies the topic."
  }

  assert {
    condition = alltrue([for m in ["GetRecords.IteratorAgeMilliseconds", "ConsumerErrors", "PutRequests", "5XXError", "Errors", "Throttles", "EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "WriteThrottleEvents", "ReadThrottleEvents", "ExecutionsFailed"] :
    anytrue([for a in aws_cloudwatch_metric_alarm.simple : a.metric_name == m])]) && aws_cloudwatch_metric_alarm.api_p99_latency.extended_statistic == "p99"
    error_message = "Alarms: lag, consumer errors, dead letters, API 5xx and p99, Lambda errors and throttles, Redis CPU/memory/evictions, DynamoDB throttles, failed training."
  }

  assert {
    condition     = length([for a in aws_cloudwatch_metric_alarm.simple : a if a.namespace == "AWS/ElastiCache"]) == 6
    error_message = "Three Redis alarms per node."
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 8
    error_message = "The dashboard has a widget per stage of the flow plus the alarm overview."
  }

  assert {
    condition     = anytrue([for s in jsondecode(aws_sns_topic_policy.alerts.policy).Statement : s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])
    error_message = "The topic refuses publishes over plain HTTP."
  }
}
