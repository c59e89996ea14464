# One dashboard following an event through the system: stream -> fleet -> stores -> cache ->
# API, plus the training loop, the experiment (one widget per A/B variant) and the state of every alarm.

locals {
  # The consumer's experiment results, as EMF documents per arm (kcl-consumer results/ResultsMetrics), all named by the
  # contract: namespace metrics.experiments_namespace, metrics.experiment_results (dimensions Experiment, Route,
  # Variant; counts on the left axis, ratios on the right).
  experiment_results = module.contract.metrics.experiment_results
  experiment_ns      = module.contract.metrics.experiments_namespace
  experiment_dims    = [local.experiment_results.dimensions.experiment, var.settings.experiment.id, local.experiment_results.dimensions.route, var.settings.experiment.route]
  experiment_count   = values(local.experiment_results.counts)
  experiment_rates   = values(local.experiment_results.ratios)

  variant_widgets = {
    for v in var.settings.experiment.variants : "variant-${v}" => {
      title = "Experiment ${var.settings.experiment.id}, variant ${v} on ${var.settings.experiment.route}: users, exposures, clicks, conversions / CTR, conversion rate, CTR p-value and lift, winner"
      metrics = concat(
        [for m in local.experiment_count : concat([local.experiment_ns, m], local.experiment_dims, [local.experiment_results.dimensions.variant, v, { stat = "Maximum" }])],
        [for m in local.experiment_rates : concat([local.experiment_ns, m], local.experiment_dims, [local.experiment_results.dimensions.variant, v, { stat = "Maximum", yAxis = "right" }])],
      )
    }
  }

  # The training function's per-task metrics (training-lambda TaskMetrics, the contract's metrics.training_tasks), one
  # line per Action found by a search expression: the actions are the state machine's, not listed here twice.
  training_tasks = module.contract.metrics.training_tasks
  training_ns    = "${var.name}/${module.contract.metrics.training_namespace_suffix}"
  training_task_search = {
    for m, stat in { (local.training_tasks.duration) = "Maximum", (local.training_tasks.errors) = "Sum" } :
    m => "SEARCH('{${local.training_ns},${local.training_tasks.action_dimension}} MetricName=\"${m}\"', '${stat}', 300)"
  }

  api_dims = ["ApiName", var.api.rest_api_name, "Stage", var.api.stage_name]
  ecs_dims = ["ClusterName", var.consumer.cluster_name, "ServiceName", var.consumer.service_name]

  widgets = merge(local.flow_widgets, local.variant_widgets)

  flow_widgets = {
    for k, w in {
      stream = {
        title = "Stream: records in / consumer lag (ms): the consumer's MillisBehindLatest (any retrieval mode), the stream's iterator age (polling only)"
        metrics = [
          ["AWS/Kinesis", "IncomingRecords", "StreamName", var.stream_name, { stat = "Sum" }],
          [local.lag_metric.namespace, local.lag_metric.metric, local.lag_metric.stream_dimension, var.stream_name, { stat = "Maximum", yAxis = "right" }],
          ["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", var.stream_name, { stat = "Maximum", yAxis = "right" }],
        ]
      }
      fleet = {
        title = "kcl-consumer: CPU %, running tasks, errors, dead-letter objects"
        metrics = [
          concat(["AWS/ECS", "CPUUtilization"], local.ecs_dims, [{ stat = "Average" }]),
          concat(["ECS/ContainerInsights", "RunningTaskCount"], local.ecs_dims, [{ stat = "Minimum", yAxis = "right" }]),
          [var.consumer.metrics_namespace, module.contract.metrics.consumer_errors, { stat = "Sum", yAxis = "right" }],
          ["AWS/S3", "PutRequests", "BucketName", var.bucket_name, "FilterId", "dead-letter", { stat = "Sum", yAxis = "right" }],
        ]
      }
      tables = {
        title = "DynamoDB: consumed write capacity / throttles"
        metrics = concat(
          [for t in values(var.table_names) : ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", t, { stat = "Sum" }]],
          [for t in values(var.table_names) : ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", t, { stat = "Sum", yAxis = "right" }]],
        )
      }
      cache = {
        title = "Redis: engine CPU %, memory %, hits / misses"
        metrics = concat(
          [for n in local.redis_nodes : ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", n, { stat = "Average" }]],
          [for n in local.redis_nodes : ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", n, { stat = "Average" }]],
          [for n in local.redis_nodes : ["AWS/ElastiCache", "CacheHits", "CacheClusterId", n, { stat = "Sum", yAxis = "right" }]],
          [for n in local.redis_nodes : ["AWS/ElastiCache", "CacheMisses", "CacheClusterId", n, { stat = "Sum", yAxis = "right" }]],
        )
      }
      api = {
        title = "API: requests, 4xx, 5xx / latency p50, p99 (ms)"
        metrics = [
          concat(["AWS/ApiGateway", "Count"], local.api_dims, [{ stat = "Sum" }]),
          concat(["AWS/ApiGateway", "4XXError"], local.api_dims, [{ stat = "Sum" }]),
          concat(["AWS/ApiGateway", "5XXError"], local.api_dims, [{ stat = "Sum" }]),
          concat(["AWS/ApiGateway", "Latency"], local.api_dims, [{ stat = "p50", yAxis = "right" }]),
          concat(["AWS/ApiGateway", "Latency"], local.api_dims, [{ stat = "p99", yAxis = "right" }]),
        ]
      }
      function = {
        title = "api-lambda: errors, throttles / duration p99 (ms)"
        metrics = [
          ["AWS/Lambda", "Errors", "FunctionName", var.api.function_name, "Resource", "${var.api.function_name}:${var.api.alias_name}", { stat = "Sum" }],
          ["AWS/Lambda", "Throttles", "FunctionName", var.api.function_name, "Resource", "${var.api.function_name}:${var.api.alias_name}", { stat = "Sum" }],
          ["AWS/Lambda", "Duration", "FunctionName", var.api.function_name, "Resource", "${var.api.function_name}:${var.api.alias_name}", { stat = "p99", yAxis = "right" }],
        ]
      }
      training = {
        title = "Training: executions started / succeeded / failed"
        metrics = [
          ["AWS/States", "ExecutionsStarted", "StateMachineArn", var.training.state_machine_arn, { stat = "Sum" }],
          ["AWS/States", "ExecutionsSucceeded", "StateMachineArn", var.training.state_machine_arn, { stat = "Sum" }],
          ["AWS/States", "ExecutionsFailed", "StateMachineArn", var.training.state_machine_arn, { stat = "Sum" }],
          ["Glue", "glue.driver.aggregate.numFailedTasks", "JobName", var.training.glue_job_name, "JobRunId", "ALL", "Type", "count", { stat = "Sum", yAxis = "right" }],
        ]
      }
      training-tasks = {
        title = "Training tasks: errors per action / longest run per action (ms)"
        metrics = [
          [{ id = "errors", expression = local.training_task_search[local.training_tasks.errors], label = "" }],
          [{ id = "duration", expression = local.training_task_search[local.training_tasks.duration], label = "", yAxis = "right" }],
        ]
      }
      exposures = {
        title   = "api-lambda: answers whose exposure was dropped, per route"
        metrics = [for r in var.api.exposure_routes : [var.api.metrics_namespace, module.contract.metrics.exposure_dropped, module.contract.metrics.api_route_dimension, r, { stat = "Sum" }]]
      }
    } : k => w
  }

  widget_order = concat(["stream", "fleet", "tables", "cache", "api", "function", "training", "training-tasks", "exposures"], sort(keys(local.variant_widgets)))

  dashboard = {
    widgets = concat(
      [
        for i, k in local.widget_order : {
          type   = "metric"
          x      = (i % 2) * 12
          y      = floor(i / 2) * 6
          width  = 12
          height = 6
          properties = {
            title   = local.widgets[k].title
            region  = var.region
            view    = "timeSeries"
            stacked = false
            period  = 60
            metrics = local.widgets[k].metrics
          }
        }
      ],
      [{
        type   = "alarm"
        x      = 0
        y      = ceil(length(local.widget_order) / 2) * 6
        width  = 24
        height = 4
        properties = {
          title  = "Alarms"
          alarms = concat([for a in aws_cloudwatch_metric_alarm.simple : a.arn], [aws_cloudwatch_metric_alarm.api_p99_latency.arn])
        }
      }],
    )
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode(local.dashboard)
}
