module "contract" {
  source        = "../contract"
  contract_file = var.contract_file
}

locals {
  container_name = "kcl-consumer"
  metrics_ns     = "${var.name}/${module.contract.metrics.consumer_namespace_suffix}"
  # The consumer's lag metric (fixed namespace, stream dimension): what the lag policy tracks.
  lag_metric = module.contract.metrics.consumer_lag

  # The consumer's variables by the contract's keys (environment.kcl_consumer: key => the name consumer.yml's
  # ${VAR:-default} placeholders read; kcl-consumer's ConsumerEnvironmentTest checks them against that file).
  # No secret: the cache takes IAM tokens the consumer signs as its own ElastiCache user.
  env = module.contract.environment.kcl_consumer
  environment = merge(
    {
      (local.env.aws_region)              = var.region
      (local.env.kinesis_stream)          = var.stream.name
      (local.env.kcl_application_name)    = var.lease_table.name
      (local.env.kcl_retrieval_mode)      = var.settings.use_enhanced_fan_out ? "FANOUT" : "POLLING"
      (local.env.interactions_table)      = var.interactions_table.name
      (local.env.user_profiles_table)     = var.user_profiles_table.name
      (local.env.items_table)             = var.items_table.name
      (local.env.users_table)             = var.users_table.name
      (local.env.data_bucket)             = var.bucket.name
      (local.env.interaction_ttl_days)    = tostring(var.settings.interactions_ttl_days)
      (local.env.personalize_tracking_id) = var.settings.event_tracking_id
      (local.env.log_format)              = "json"
      (local.env.redis_uri)               = var.redis.url
      (local.env.redis_user)              = var.redis.user.id
      (local.env.redis_cache_name)        = var.redis.cache.name
      # The item and user records the tables applied go on to the dataset group's Items and Users datasets.
      (local.env.personalize_items_dataset_arn) = var.personalize_datasets.items
      (local.env.personalize_users_dataset_arn) = var.personalize_datasets.users
      # The online loop (consumer.yml stores.* and experiments.*).
      (local.env.exposures_table)             = var.experiment_tables.exposures.name
      (local.env.experiment_users_table)      = var.experiment_tables.experiment_users.name
      (local.env.experiments_table)           = var.experiment_tables.experiments.name
      (local.env.attribution_window)          = var.settings.experiment.attribution_window
      (local.env.click_event_types)           = join(",", var.settings.experiment.click_event_types)
      (local.env.conversion_event_types)      = join(",", var.settings.experiment.conversion_event_types)
      (local.env.experiment_results_interval) = var.settings.experiment.results_interval
      (local.env.experiment_control_variant)  = var.settings.experiment.control_variant
      (local.env.experiment_alpha)            = tostring(var.settings.experiment.alpha)
      (local.env.experiment_min_users)        = tostring(var.settings.experiment.min_users)
      (local.env.experiment_min_exposures)    = tostring(var.settings.experiment.min_exposures)
      (local.env.experiment_ttl_days)         = tostring(var.settings.experiment.ttl_days)
      # ResultsMetrics writes the experiment metrics as EMF documents to stdout; the awslogs driver ships
      # them to the log group, where CloudWatch turns them into metrics (no agent, no PutMetricData).
      # AWS_EMF_ENVIRONMENT: the aws-embedded-metrics library's own switch.
      (local.env.emf_environment) = "Local"
      # Container-aware heap; an OOM must kill the task (ECS replaces it) rather than limp on. The JVM's variable.
      JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
    },
    var.settings.extra_environment,
  )
}

# ---- Image repository ---------------------------------------------------------------------------

resource "aws_ecr_repository" "consumer" {
  name                 = "${var.name}/kcl-consumer"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_lifecycle_policy" "consumer" {
  repository = aws_ecr_repository.consumer.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last ${var.settings.ecr_keep_images} images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = var.settings.ecr_keep_images }
      action       = { type = "expire" }
    }]
  })
}

# ---- Cluster, logs --------------------------------------------------------------------------------

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "consumer" {
  name              = "/ecs/${var.name}/kcl-consumer"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# ERROR lines of the consumer become a metric (alarmed in monitoring): an infrastructure-side
# signal that needs no code change and catches errors from any library (KCL, SDK, Lettuce).
resource "aws_cloudwatch_log_metric_filter" "errors" {
  name           = "${var.name}-consumer-errors"
  log_group_name = aws_cloudwatch_log_group.consumer.name
  pattern        = "ERROR"

  metric_transformation {
    name          = module.contract.metrics.consumer_errors
    namespace     = local.metrics_ns
    value         = "1"
    default_value = "0"
  }
}

# ---- IAM ----------------------------------------------------------------------------------------

locals {
  ecs_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        ArnLike      = { "aws:SourceArn" = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*" }
        StringEquals = { "aws:SourceAccount" = var.account_id }
      }
    }]
  })

  # Used by the ECS agent before the container starts: pull the image, ship logs, read the secret.
  execution_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # GetAuthorizationToken is account-wide: it has no resource-level permissions.
        Sid      = "EcrAuth"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid      = "EcrPull"
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
        Resource = aws_ecr_repository.consumer.arn
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.consumer.arn}:*"
      },
      {
        # The image's layers are encrypted with the stack key: only through ECR pulling them.
        Sid       = "DecryptImage"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = var.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "ecr.${var.region}.amazonaws.com" } }
      },
    ]
  })

  kinesis_read = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
  kinesis_efo  = ["kinesis:RegisterStreamConsumer", "kinesis:DescribeStreamConsumer", "kinesis:ListStreamConsumers"]

  # What the consumer code calls, resource by resource.
  task_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "ReadStream"
          Effect   = "Allow"
          Action   = var.settings.use_enhanced_fan_out ? concat(local.kinesis_read, local.kinesis_efo) : local.kinesis_read
          Resource = var.stream.arn
        },
      ],
      var.settings.use_enhanced_fan_out ? [
        {
          Sid      = "EnhancedFanOut"
          Effect   = "Allow"
          Action   = ["kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"]
          Resource = "${var.stream.arn}/consumer/*"
        },
      ] : [],
      [
        {
          Sid      = "Leases"
          Effect   = "Allow"
          Action   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:Query"]
          Resource = var.lease_table.arn
        },
        {
          Sid      = "Interactions"
          Effect   = "Allow"
          Action   = ["dynamodb:DescribeTable", "dynamodb:BatchWriteItem", "dynamodb:PutItem"]
          Resource = var.interactions_table.arn
        },
        {
          # sink/DynamoItemStore: one PutItem per item record, conditional on the row's revision.
          Sid      = "Catalog"
          Effect   = "Allow"
          Action   = "dynamodb:PutItem"
          Resource = var.items_table.arn
        },
        {
          # sink/ user records: one PutItem per record, conditional on the row's revision (like the catalog).
          Sid      = "Users"
          Effect   = "Allow"
          Action   = "dynamodb:PutItem"
          Resource = var.users_table.arn
        },
        {
          Sid      = "Profiles"
          Effect   = "Allow"
          Action   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem"]
          Resource = var.user_profiles_table.arn
        },
        # The online loop, call by call (kcl-consumer sink/ and results/). Exposures: IdempotentTable reads
        # which keys exist (BatchGetItem) and writes the new ones (BatchWriteItem); attribution reads them
        # back by id (BatchGetItem) and by time on the local index (Query, index ARN only).
        {
          Sid      = "Exposures"
          Effect   = "Allow"
          Action   = ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"]
          Resource = var.experiment_tables.exposures.arn
        },
        {
          Sid      = "ExposureWindow"
          Effect   = "Allow"
          Action   = "dynamodb:Query"
          Resource = "${var.experiment_tables.exposures.arn}/index/${var.exposure_time_index}"
        },
        {
          # VersionedRows: BatchGetItem, then a PutItem conditional on the version read; the results job Scans.
          Sid      = "ExperimentUsers"
          Effect   = "Allow"
          Action   = ["dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:Scan"]
          Resource = var.experiment_tables.experiment_users.arn
        },
        {
          # The results job: Scan for the previous look, one PutItem per arm.
          Sid      = "ExperimentResults"
          Effect   = "Allow"
          Action   = ["dynamodb:PutItem", "dynamodb:Scan"]
          Resource = var.experiment_tables.experiments.arn
        },
        {
          Sid      = "RawAndDeadLetter"
          Effect   = "Allow"
          Action   = ["s3:PutObject", "s3:AbortMultipartUpload"]
          Resource = ["${var.bucket.arn}/raw/*", "${var.bucket.arn}/${module.contract.s3.dead_letter_prefix}*"]
        },
        {
          # The stack key only through the stores that hold data under it for the consumer: the stream it reads,
          # the tables and the bucket it writes.
          Sid       = "Kms"
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = var.kms_key_arn
          Condition = { StringEquals = { "kms:ViaService" = [for svc in ["kinesis", "dynamodb", "s3"] : "${svc}.${var.region}.amazonaws.com"] } }
        },
        {
          # realtime/CacheInvalidator: IAM authentication as the consumer's own ElastiCache user, nobody else.
          Sid      = "CacheConnect"
          Effect   = "Allow"
          Action   = "elasticache:Connect"
          Resource = [var.redis.cache.arn, var.redis.user.arn]
        },
        {
          Sid      = "PersonalizeEvents"
          Effect   = "Allow"
          Action   = "personalize:PutEvents"
          Resource = "arn:${var.partition}:personalize:${var.region}:${var.account_id}:event-tracker/*"
        },
        {
          # realtime/PersonalizeItemForwarder: the applied item upserts, to the Items dataset only.
          Sid      = "PersonalizeItems"
          Effect   = "Allow"
          Action   = "personalize:PutItems"
          Resource = var.personalize_datasets.items
        },
        {
          # The applied user upserts, to the Users dataset only.
          Sid      = "PersonalizeUsers"
          Effect   = "Allow"
          Action   = "personalize:PutUsers"
          Resource = var.personalize_datasets.users
        },
        {
          # PutMetricData has no resource-level permissions ("*" is the only valid resource);
          # the namespace condition limits it to the KCL's namespace and ours.
          Sid      = "Metrics"
          Effect   = "Allow"
          Action   = "cloudwatch:PutMetricData"
          Resource = "*"
          Condition = {
            StringLike = { "cloudwatch:namespace" = [var.lease_table.name, local.metrics_ns] }
          }
        },
      ],
    )
  })
}

resource "aws_iam_role" "execution" {
  name_prefix        = "${var.name}-consumer-exec-"
  assume_role_policy = local.ecs_trust
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-log-secret"
  role   = aws_iam_role.execution.id
  policy = local.execution_policy
}

resource "aws_iam_role" "task" {
  name_prefix        = "${var.name}-consumer-task-"
  assume_role_policy = local.ecs_trust
}

resource "aws_iam_role_policy" "task" {
  name   = "kcl-consumer"
  role   = aws_iam_role.task.id
  policy = local.task_policy
}

# ---- Task and service ---------------------------------------------------------------------------

resource "aws_ecs_task_definition" "consumer" {
  family                   = "${var.name}-kcl-consumer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.settings.cpu
  memory                   = var.settings.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name      = local.container_name
    image     = "${aws_ecr_repository.consumer.repository_url}:${var.settings.image_tag}"
    essential = true
    portMappings = [
      { name = "app", containerPort = 8080, protocol = "tcp" },
      { name = "admin", containerPort = 8081, protocol = "tcp" },
    ]
    environment = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
    # SIGTERM starts the consumer's graceful shutdown (flush, checkpoint, release leases);
    # 120 s is Fargate's maximum and above the consumer's own 90 s budget.
    stopTimeout = 120
    # The JRE base image has bash but no curl: probe Dropwizard's admin health check over
    # bash's /dev/tcp. 200 only when every check (scheduler, leases, flush age) is healthy.
    healthCheck = {
      # bash explicitly: CMD-SHELL would run dash, which has no /dev/tcp.
      command     = ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /healthcheck HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 120 # first lease acquisition can take ~40 s (see NOTES)
    }
    readonlyRootFilesystem = false
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.consumer.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "consumer"
        mode                  = "non-blocking"
        max-buffer-size       = "25m"
      }
    }
  }])
}

resource "aws_ecs_service" "consumer" {
  name                               = "kcl-consumer"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.consumer.arn
  launch_type                        = "FARGATE"
  desired_count                      = var.settings.min_count
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = null # no load balancer; the container health check decides
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = false

  network_configuration {
    subnets          = var.vpc.subnet_ids
    security_groups  = [var.vpc.security_group_id]
    assign_public_ip = false
  }

  # A deployment whose tasks keep failing their health check rolls back to the last good one.
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    # The autoscaler owns the running count after creation.
    ignore_changes = [desired_count]

    precondition {
      condition     = var.settings.max_count <= var.settings.shard_count && var.settings.min_count <= var.settings.max_count
      error_message = "Consumer tasks must satisfy min_count <= max_count <= shard_count: a KCL worker beyond one per shard holds no lease."
    }
  }
}

# ---- Autoscaling ----------------------------------------------------------------------------------

resource "aws_appautoscaling_target" "consumer" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.consumer.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.settings.min_count
  max_capacity       = var.settings.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-consumer-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.consumer.service_namespace
  resource_id        = aws_appautoscaling_target.consumer.resource_id
  scalable_dimension = aws_appautoscaling_target.consumer.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.settings.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# Consumer lag: more workers take shards off busy ones while the consumer lags. The signal is the consumer's own
# metric (kcl-consumer LagMetrics, the contract's metrics.consumer_lag): each worker's maximum MillisBehindLatest over
# its shards, written every minute as EMF. The KCL reports MillisBehindLatest with every delivery in both retrieval
# modes; AWS/Kinesis GetRecords.IteratorAgeMilliseconds only covers polling (enhanced fan-out reads with
# SubscribeToShard, no GetRecords), so a fleet on fan-out would never scale on it. Maximum: the worst worker.
# Scale-in happens only when both policies agree, so lag never drops capacity under load.
moved {
  from = aws_appautoscaling_policy.iterator_age
  to   = aws_appautoscaling_policy.lag
}

resource "aws_appautoscaling_policy" "lag" {
  name               = "${var.name}-consumer-lag"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.consumer.service_namespace
  resource_id        = aws_appautoscaling_target.consumer.resource_id
  scalable_dimension = aws_appautoscaling_target.consumer.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.settings.iterator_age_target_ms
    scale_in_cooldown  = 600 # lease rebalancing after a scale event takes a while to settle
    scale_out_cooldown = 120

    customized_metric_specification {
      namespace   = local.lag_metric.namespace
      metric_name = local.lag_metric.metric
      statistic   = "Maximum"

      dimensions {
        name  = local.lag_metric.stream_dimension
        value = var.stream.name
      }
    }
  }
}
