# Every alarm belongs to a component and notifies the alerts topic on ALARM and on OK.

locals {
  lag_metric  = module.contract.metrics.consumer_lag
  redis_nodes = [for i in range(var.redis.nodes) : format("%s-%03d", var.redis.replication_group_id, i + 1)]

  simple_alarms = merge(
    {
      # -- streaming ---------------------------------------------------------------------------
      stream-write-throttled = {
        component   = "streaming", namespace = "AWS/Kinesis", metric = "WriteProvisionedThroughputExceeded"
        dimensions  = { StreamName = var.stream_name }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 3, missing = "notBreaching"
        description = "Producers are throttled: add shards or spread partition keys"
      }
      # -- ingest fleet ------------------------------------------------------------------------
      # Consumer lag from the consumer itself (kcl-consumer LagMetrics, the contract's metrics.consumer_lag): every
      # worker's maximum MillisBehindLatest, in polling and enhanced fan-out alike (the stream's
      # GetRecords.IteratorAgeMilliseconds has no data under fan-out, so an alarm on it stays silent there). Every
      # running worker writes it each minute, idle or not: no data for 3 minutes means no worker reports, which breaches.
      consumer-lag = {
        component   = "ingest-fleet", namespace = local.lag_metric.namespace, metric = local.lag_metric.metric
        dimensions  = { (local.lag_metric.stream_dimension) = var.stream_name }, statistic = "Maximum", threshold = var.settings.iterator_age_ms
        comparison  = "GreaterThanThreshold", periods = 3, missing = "breaching"
        description = "Consumer lag: a worker's MillisBehindLatest is above the threshold (or no worker reports it)"
      }
      consumer-errors = {
        component   = "ingest-fleet", namespace = var.consumer.metrics_namespace, metric = module.contract.metrics.consumer_errors
        dimensions  = {}, statistic = "Sum", threshold = 10
        comparison  = "GreaterThanThreshold", periods = 2, missing = "notBreaching"
        description = "kcl-consumer logs ERROR lines"
      }
      consumer-dead-letters = {
        component   = "ingest-fleet", namespace = "AWS/S3", metric = "PutRequests"
        dimensions  = { BucketName = var.bucket_name, FilterId = "dead-letter" }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 1, missing = "notBreaching"
        description = "Records are being rejected to dead-letter/ (see the reason in each object)"
      }
      consumer-running-tasks = {
        component   = "ingest-fleet", namespace = "ECS/ContainerInsights", metric = "RunningTaskCount"
        dimensions  = { ClusterName = var.consumer.cluster_name, ServiceName = var.consumer.service_name }, statistic = "Minimum"
        threshold   = var.consumer.min_count, comparison = "LessThanThreshold", periods = 3, missing = "breaching"
        description = "Fewer consumer tasks than the minimum are running"
      }
      consumer-cpu = {
        component   = "ingest-fleet", namespace = "AWS/ECS", metric = "CPUUtilization"
        dimensions  = { ClusterName = var.consumer.cluster_name, ServiceName = var.consumer.service_name }, statistic = "Average"
        threshold   = 90, comparison = "GreaterThanThreshold", periods = 5, missing = "notBreaching"
        description = "Consumer CPU stays above 90% (autoscaling is at its shard-count ceiling?)"
      }
      # -- serving -----------------------------------------------------------------------------
      api-5xx = {
        component   = "serving", namespace = "AWS/ApiGateway", metric = "5XXError"
        dimensions  = { ApiName = var.api.rest_api_name, Stage = var.api.stage_name }, statistic = "Sum", threshold = 5
        comparison  = "GreaterThanThreshold", periods = 2, missing = "notBreaching"
        description = "The API answers with 5xx (it should degrade to fallbacks instead)"
      }
      api-lambda-errors = {
        component   = "serving", namespace = "AWS/Lambda", metric = "Errors"
        dimensions  = { FunctionName = var.api.function_name, Resource = "${var.api.function_name}:${var.api.alias_name}" }
        statistic   = "Sum", threshold = 0, comparison = "GreaterThanThreshold", periods = 2, missing = "notBreaching"
        description = "The API function throws"
      }
      api-lambda-throttles = {
        component   = "serving", namespace = "AWS/Lambda", metric = "Throttles"
        dimensions  = { FunctionName = var.api.function_name, Resource = "${var.api.function_name}:${var.api.alias_name}" }
        statistic   = "Sum", threshold = 0, comparison = "GreaterThanThreshold", periods = 2, missing = "notBreaching"
        description = "The API function hits its reserved concurrency"
      }
      # -- training ----------------------------------------------------------------------------
      training-failed = {
        component   = "training", namespace = "AWS/States", metric = "ExecutionsFailed"
        dimensions  = { StateMachineArn = var.training.state_machine_arn }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 1, missing = "notBreaching"
        description = "A training run failed (live campaigns are untouched; the SNS message says why)"
      }
      training-timed-out = {
        component   = "training", namespace = "AWS/States", metric = "ExecutionsTimedOut"
        dimensions  = { StateMachineArn = var.training.state_machine_arn }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 1, missing = "notBreaching"
        description = "A training run timed out"
      }
      # (ExposureDropped per route: below, with the other generated alarms.)
      training-lambda-errors = {
        component   = "training", namespace = "AWS/Lambda", metric = "Errors"
        dimensions  = { FunctionName = var.training.function_name }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 1, missing = "notBreaching"
        description = "The training task function throws"
      }
    },
    # -- cache: every node ------------------------------------------------------------------
    # Keys use the node's position (known at plan time), values its generated id.
    merge([for i, node in local.redis_nodes : {
      "redis-cpu-${i + 1}" = {
        component   = "cache", namespace = "AWS/ElastiCache", metric = "EngineCPUUtilization"
        dimensions  = { CacheClusterId = node }, statistic = "Average", threshold = 80
        comparison  = "GreaterThanThreshold", periods = 3, missing = "notBreaching"
        description = "Redis engine CPU high on ${node}"
      }
      "redis-memory-${i + 1}" = {
        component   = "cache", namespace = "AWS/ElastiCache", metric = "DatabaseMemoryUsagePercentage"
        dimensions  = { CacheClusterId = node }, statistic = "Average", threshold = 85
        comparison  = "GreaterThanThreshold", periods = 3, missing = "notBreaching"
        description = "Redis memory nearly full on ${node}"
      }
      "redis-evictions-${i + 1}" = {
        component   = "cache", namespace = "AWS/ElastiCache", metric = "Evictions"
        dimensions  = { CacheClusterId = node }, statistic = "Sum", threshold = 1000
        comparison  = "GreaterThanThreshold", periods = 3, missing = "notBreaching"
        description = "Redis evicts many keys on ${node}: the cache is too small for the working set"
      }
    }]...),
    # -- serving: exposures dropped, per route ------------------------------------------------
    # The handler counts an answer whose exposure did not fit its queue (RequestMetrics ExposureDropped,
    # dimension Route): the experiment loses that observation. Any drop alarms, like a dead letter.
    merge([for r in var.api.exposure_routes : {
      "api-exposures-dropped-${join("-", compact(split("/", replace(r, "/\\{[^}]*\\}/", ""))))}" = {
        component   = "serving", namespace = var.api.metrics_namespace, metric = module.contract.metrics.exposure_dropped
        dimensions  = { (module.contract.metrics.api_route_dimension) = r }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 1, missing = "notBreaching"
        description = "The API drops exposures on ${r} (queue full): the experiment loses data"
      }
    }]...),
    # -- storage: every table ----------------------------------------------------------------
    merge([for role, table in var.table_names : {
      "dynamodb-write-throttles-${role}" = {
        component   = "storage", namespace = "AWS/DynamoDB", metric = "WriteThrottleEvents"
        dimensions  = { TableName = table }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 2, missing = "notBreaching"
        description = "Writes to ${table} are throttled"
      }
      "dynamodb-read-throttles-${role}" = {
        component   = "storage", namespace = "AWS/DynamoDB", metric = "ReadThrottleEvents"
        dimensions  = { TableName = table }, statistic = "Sum", threshold = 0
        comparison  = "GreaterThanThreshold", periods = 2, missing = "notBreaching"
        description = "Reads from ${table} are throttled"
      }
    }]...),
  )
}

resource "aws_cloudwatch_metric_alarm" "simple" {
  for_each            = local.simple_alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "[${each.value.component}] ${each.value.description}"
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = 60
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  tags = { Component = each.value.component }
}

# Percentiles need extended_statistic, so the p99 alarm stands alone.
resource "aws_cloudwatch_metric_alarm" "api_p99_latency" {
  alarm_name          = "${var.name}-api-p99-latency"
  alarm_description   = "[serving] API p99 latency above ${var.settings.api_p99_latency_ms} ms"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = { ApiName = var.api.rest_api_name, Stage = var.api.stage_name }
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.settings.api_p99_latency_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  tags = { Component = "serving" }
}

locals {
  alarms_by_component = {
    for c in distinct(concat([for a in values(local.simple_alarms) : a.component], ["serving"])) :
    c => concat(
      [for k, a in local.simple_alarms : aws_cloudwatch_metric_alarm.simple[k].alarm_name if a.component == c],
      c == "serving" ? [aws_cloudwatch_metric_alarm.api_p99_latency.alarm_name] : [],
    )
  }
}
