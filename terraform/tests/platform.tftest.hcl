# Encryption and TLS on the remaining stores: stream, secret, topic; the key rotates.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Shared fixtures (account, key): tests/terraform.tfvars. The monitoring inputs are shared by its two runs.
variables {
  monitoring_inputs = {
    stream_name = "recsys-interactions"
    bucket_name = "recsys-data"
    consumer    = { cluster_name = "recsys", service_name = "kcl-consumer", metrics_namespace = "recsys/kcl-consumer", min_count = 2 }
    api = {
      rest_api_name   = "recsys-api", stage_name = "v1", function_name = "recsys-api", alias_name = "live", metrics_namespace = "recsys/api"
      exposure_routes = ["/items/{itemId}/similar", "/rankings", "/recommendations", "/users/{userId}/recommendations"]
    }
    experiment  = { id = "recs-ab-7", route = "/users/{userId}/recommendations", variants = ["a", "b", "c"] }
    redis       = { replication_group_id = "recsys-cache", nodes = 2 }
    table_names = { interactions = "recsys-interactions", user-profiles = "recsys-user-profiles", kcl-leases = "recsys-kcl-consumer" }
    training    = { state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:recsys-training", function_name = "recsys-training", glue_job_name = "recsys-prepare-interactions" }
  }
}

run "security" {
  command = apply

  module {
    source = "./modules/security"
  }

  variables {
    name   = "recsys"
    region = "eu-west-1"
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "The key rotates."
  }
}

run "streaming" {
  command = apply

  module {
    source = "./modules/streaming"
  }

  variables {
    name     = "recsys"
    settings = { mode = "PROVISIONED", shard_count = 4, retention_hours = 168 }
  }

  assert {
    condition     = aws_kinesis_stream.this.encryption_type == "KMS" && aws_kinesis_stream.this.kms_key_id == var.kms_key_arn
    error_message = "The stream is KMS-encrypted."
  }

  assert {
    condition     = aws_kinesis_stream.this.shard_count == 4 && contains(aws_kinesis_stream.this.shard_level_metrics, "IteratorAgeMilliseconds")
    error_message = "Provisioned shards and shard-level metrics."
  }

  # Producers get a managed policy to attach: exactly PutRecord/PutRecords on this stream and data keys of its key,
  # only through Kinesis in the stream's region; nothing else.
  assert {
    condition = (toset(flatten([for s in jsondecode(aws_iam_policy.producer.policy).Statement : [for a in flatten([s.Action]) : [for r in flatten([s.Resource]) : "${s.Effect} ${a} ${r}"]]])) == toset([
      "Allow kinesis:PutRecord ${aws_kinesis_stream.this.arn}", "Allow kinesis:PutRecords ${aws_kinesis_stream.this.arn}", "Allow kms:GenerateDataKey ${var.kms_key_arn}",
      ]) && one([for s in jsondecode(aws_iam_policy.producer.policy).Statement : try(s.Condition, null) if contains(flatten([s.Action]), "kms:GenerateDataKey")]) == { StringEquals = { "kms:ViaService" = "kinesis.eu-west-1.amazonaws.com" } } &&
    output.producer_policy_arn == aws_iam_policy.producer.arn && output.policy_documents["streaming/producer-policy"] == aws_iam_policy.producer.policy)
    error_message = "The producer policy must grant exactly kinesis:PutRecord/PutRecords on the stream and kms:GenerateDataKey on its key with kms:ViaService kinesis.<region>.amazonaws.com, and be an output."
  }
}

run "streaming_on_demand" {
  command = apply

  module {
    source = "./modules/streaming"
  }

  variables {
    name     = "recsys"
    settings = { mode = "ON_DEMAND", shard_count = 4, retention_hours = 24 }
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
    name        = "recsys"
    region      = "eu-west-1"
    settings    = { alarm_emails = ["oncall@example.com"], experiment = var.monitoring_inputs.experiment }
    stream_name = var.monitoring_inputs.stream_name
    bucket_name = var.monitoring_inputs.bucket_name
    consumer    = var.monitoring_inputs.consumer
    api         = var.monitoring_inputs.api
    redis       = var.monitoring_inputs.redis
    table_names = var.monitoring_inputs.table_names
    training    = var.monitoring_inputs.training
    # The metric side of the contract (kcl-consumer's ResultsMetricsTest and api-lambda's RequestMetricsEmfTest prove the
    # code emits these names).
    contract = jsondecode(file("../common/contract/recsys-contract.json"))
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
    condition = alltrue([for m in [var.contract.metrics.consumer_lag.metric, "ConsumerErrors", "PutRequests", "5XXError", "Errors", "Throttles", "EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "WriteThrottleEvents", "ReadThrottleEvents", "ExecutionsFailed"] :
    anytrue([for a in aws_cloudwatch_metric_alarm.simple : a.metric_name == m])]) && aws_cloudwatch_metric_alarm.api_p99_latency.extended_statistic == "p99"
    error_message = "Alarms: lag, consumer errors, dead letters, API 5xx and p99, Lambda errors and throttles, Redis CPU/memory/evictions, DynamoDB throttles, failed training."
  }

  # Consumer lag is alarmed on the consumer's own metric (kcl-consumer LagMetrics, the contract's metrics.consumer_lag),
  # which has data with enhanced fan-out too; missing data (no worker reports) breaches. No alarm may rely on the
  # stream's GetRecords.IteratorAgeMilliseconds, which stays empty (and the alarm silent) under fan-out.
  assert {
    condition = (length([for a in aws_cloudwatch_metric_alarm.simple : a if
      a.namespace == var.contract.metrics.consumer_lag.namespace && a.metric_name == var.contract.metrics.consumer_lag.metric &&
      a.dimensions == tomap({ (var.contract.metrics.consumer_lag.stream_dimension) = var.stream_name }) && a.statistic == "Maximum" &&
      a.threshold == 120000 && a.comparison_operator == "GreaterThanThreshold" && a.treat_missing_data == "breaching" &&
      contains(a.alarm_actions, aws_sns_topic.alerts.arn) && a.tags.Component == "ingest-fleet"]) == 1 &&
      contains(output.alarms_by_component["ingest-fleet"], "recsys-consumer-lag") &&
    length([for a in aws_cloudwatch_metric_alarm.simple : a if a.namespace == "AWS/Kinesis" && strcontains(a.metric_name, "IteratorAge")]) == 0)
    error_message = "Consumer lag must alarm (ingest-fleet, missing data breaching) on the contract's metrics.consumer_lag metric of this stream, and no alarm on GetRecords.IteratorAgeMilliseconds (blind to enhanced fan-out)."
  }

  assert {
    condition = length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if
      contains(try([for m in w.properties.metrics : join(" ", slice(m, 0, 4))], []),
    join(" ", [var.contract.metrics.consumer_lag.namespace, var.contract.metrics.consumer_lag.metric, var.contract.metrics.consumer_lag.stream_dimension, var.stream_name]))]) == 1
    error_message = "The dashboard charts the consumer's lag metric (metrics.consumer_lag) for the stream."
  }

  assert {
    condition     = length([for a in aws_cloudwatch_metric_alarm.simple : a if a.namespace == "AWS/ElastiCache"]) == 6
    error_message = "Three Redis alarms per node."
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 13
    error_message = "The dashboard has a widget per stage of the flow, one for the training tasks, one for dropped exposures, one per A/B variant (3) and the alarm overview."
  }

  # The training function's TaskMetrics (the contract's metrics.training_tasks) per Action, found by search
  # expressions in the training namespace: errors summed, duration at its maximum.
  assert {
    condition = length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if
      try([for m in w.properties.metrics : m[0].expression], []) == [
        "SEARCH('{recsys/${var.contract.metrics.training_namespace_suffix},${var.contract.metrics.training_tasks.action_dimension}} MetricName=\"${var.contract.metrics.training_tasks.errors}\"', 'Sum', 300)",
        "SEARCH('{recsys/${var.contract.metrics.training_namespace_suffix},${var.contract.metrics.training_tasks.action_dimension}} MetricName=\"${var.contract.metrics.training_tasks.duration}\"', 'Maximum', 300)",
    ]]) == 1
    error_message = "The dashboard charts the training function's task errors and durations per action, by the contract's names."
  }

  # One widget per variant with every metric ResultsMetrics emits (the contract's experiments_namespace and
  # experiment_results: metric names and dimension names), for this experiment, route and variant.
  assert {
    condition = alltrue([for v in var.settings.experiment.variants : length([
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if try(toset([
        for m in w.properties.metrics : join(" ", slice(m, 0, 8))
        ]), toset([])) == toset([
        for name in concat(values(var.contract.metrics.experiment_results.counts), values(var.contract.metrics.experiment_results.ratios)) : join(" ", [
          var.contract.metrics.experiments_namespace, name,
          var.contract.metrics.experiment_results.dimensions.experiment, "recs-ab-7",
          var.contract.metrics.experiment_results.dimensions.route, "/users/{userId}/recommendations",
          var.contract.metrics.experiment_results.dimensions.variant, v,
        ])
      ])
    ]) == 1])
    error_message = "The dashboard needs exactly one widget per A/B variant charting every Recsys/Experiments metric (Users … Winner) of that variant."
  }

  # ExposureDropped (RequestMetrics, dimension Route: the contract's exposure_dropped and api_route_dimension) alarms
  # once per exposure route, in the handler's namespace.
  assert {
    condition = (toset([for a in aws_cloudwatch_metric_alarm.simple : lookup(a.dimensions, var.contract.metrics.api_route_dimension, "(no ${var.contract.metrics.api_route_dimension})") if a.metric_name == var.contract.metrics.exposure_dropped && a.namespace == "recsys/api" &&
      a.statistic == "Sum" && a.threshold == 0 && a.comparison_operator == "GreaterThanThreshold" && length(a.dimensions) == 1 &&
      contains(a.alarm_actions, aws_sns_topic.alerts.arn) && contains(a.ok_actions, aws_sns_topic.alerts.arn) && a.tags.Component == "serving"]) == toset(var.api.exposure_routes) &&
    length([for a in aws_cloudwatch_metric_alarm.simple : a if a.metric_name == "ExposureDropped"]) == 4)
    error_message = "Every exposure route needs an alarm on any ExposureDropped in the API's namespace, notifying the topic, filed under serving."
  }

  assert {
    condition     = contains(output.alarms_by_component.serving, "recsys-api-exposures-dropped-users-recommendations") && contains(output.alarms_by_component.serving, "recsys-api-exposures-dropped-items-similar")
    error_message = "The exposure alarms are listed with the serving component's alarms."
  }

  assert {
    condition = length([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w if
    try(toset([for m in w.properties.metrics : "${m[0]} ${m[1]} ${m[2]} ${m[3]}"]), toset([])) == toset([for r in var.api.exposure_routes : "recsys/api ${var.contract.metrics.exposure_dropped} ${var.contract.metrics.api_route_dimension} ${r}"])]) == 1
    error_message = "The dashboard charts ExposureDropped per exposure route."
  }

  assert {
    condition     = anytrue([for s in jsondecode(aws_sns_topic_policy.alerts.policy).Statement : s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])
    error_message = "The topic refuses publishes over plain HTTP."
  }
}

# The contract link: metric names and the experiments namespace follow a renamed contract.
run "monitoring_names_come_from_the_contract" {
  command = apply

  module {
    source = "./modules/monitoring"
  }

  variables {
    name          = "recsys"
    region        = "eu-west-1"
    stream_name   = var.monitoring_inputs.stream_name
    bucket_name   = var.monitoring_inputs.bucket_name
    consumer      = var.monitoring_inputs.consumer
    api           = var.monitoring_inputs.api
    settings      = { experiment = var.monitoring_inputs.experiment }
    redis         = var.monitoring_inputs.redis
    table_names   = var.monitoring_inputs.table_names
    training      = var.monitoring_inputs.training
    contract_file = var.renamed_contract_file
    contract      = jsondecode(file("tests/fixtures/renamed-contract.json"))
  }

  assert {
    condition = (length([for a in aws_cloudwatch_metric_alarm.simple : a if a.metric_name == var.contract.metrics.exposure_dropped]) == 4 &&
      length([for a in aws_cloudwatch_metric_alarm.simple : a if a.metric_name == var.contract.metrics.consumer_errors]) == 1 &&
      length([for a in aws_cloudwatch_metric_alarm.simple : a if contains(["ExposureDropped", "ConsumerErrors"], a.metric_name)]) == 0 &&
      strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"${var.contract.metrics.experiments_namespace}\"") && !strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"Recsys/Experiments\"") &&
      aws_s3_bucket_metric.dead_letter.filter[0].prefix == var.contract.s3.dead_letter_prefix &&
    strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "{recsys/x-training,XAction} MetricName=\\\"XTaskErrors\\\""))
    error_message = "ExposureDropped, ConsumerErrors, the training tasks' metrics, the experiments namespace and the dead-letter/ request-metrics prefix come from the contract."
  }

  # The consumer-lag alarm and its dashboard line follow the contract's metrics.consumer_lag.
  assert {
    condition = (length([for a in aws_cloudwatch_metric_alarm.simple : a if a.namespace == "XRecsys/Consumer" && a.metric_name == "XMillisBehindLatest" &&
      join(",", keys(a.dimensions)) == "XStreamName"]) == 1 &&
      length([for a in aws_cloudwatch_metric_alarm.simple : a if a.metric_name == "MillisBehindLatest" || a.namespace == "Recsys/Consumer"]) == 0 &&
    strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "[\"XRecsys/Consumer\",\"XMillisBehindLatest\",\"XStreamName\","))
    error_message = "The consumer-lag alarm's and widget's namespace, metric and dimension names come from the contract's metrics.consumer_lag."
  }

  # The variant widgets chart the contract's result metrics by its dimension names; the exposure alarms and widget
  # use its Route dimension.
  assert {
    condition = (toset(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for m in try(w.properties.metrics, []) : m[1] if m[0] == var.contract.metrics.experiments_namespace]])) ==
      toset(concat(values(var.contract.metrics.experiment_results.counts), values(var.contract.metrics.experiment_results.ratios))) &&
      alltrue(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [for m in try(w.properties.metrics, []) : [m[2], m[4], m[6]] == ["XExperiment", "XRoute", "XVariant"] if m[0] == var.contract.metrics.experiments_namespace]])) &&
      alltrue([for a in aws_cloudwatch_metric_alarm.simple : join(",", keys(a.dimensions)) == "XRoute" if a.metric_name == var.contract.metrics.exposure_dropped]) &&
    strcontains(aws_cloudwatch_dashboard.this.dashboard_body, "\"${var.contract.metrics.exposure_dropped}\",\"XRoute\""))
    error_message = "The experiment widgets' metric and dimension names and the ExposureDropped Route dimension come from the contract."
  }
}
