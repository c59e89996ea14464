# Ingest fleet invariants: graceful shutdown window, health check, circuit breaker, autoscaling on the
# consumer's own lag metric (works with enhanced fan-out) and CPU capped at the shard count, least-privilege
# task role, encrypted image and logs.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Shared fixtures (account, key, subnets, bucket, tables incl. experiment_tables): tests/terraform.tfvars.
variables {
  name   = "recsys"
  region = "eu-west-1"
  settings = {
    image_tag   = "1.0.0"
    min_count   = 2
    max_count   = 4
    shard_count = 4
    experiment  = { control_variant = "pop", click_event_types = ["click", "view"], min_users = 200 }
  }
  vpc         = { subnet_ids = var.subnet_ids, security_group_id = "sg-consumer" }
  stream      = { name = "recsys-interactions", arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/recsys-interactions" }
  lease_table = { name = "recsys-kcl-consumer", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-kcl-consumer" }
  redis = {
    url   = "rediss://cache.example:6379"
    cache = { name = "recsys-cache", arn = "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:recsys-cache" }
    user  = { id = "recsys-consumer", arn = "arn:aws:elasticache:eu-west-1:123456789012:user:recsys-consumer" }
  }
  exposure_time_index = "TimeIndex"

  # The variables the task is given, as the contract declares them (environment.kcl_consumer: kcl-consumer's
  # ConsumerEnvironmentTest checks each is a ${VAR:-default} of consumer.yml, or the EMF library's switch).
  contract = jsondecode(file("../common/contract/recsys-contract.json"))
}

run "fleet" {
  command = apply

  module {
    source = "./modules/ingest-fleet"
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].stopTimeout == 120
    error_message = "SIGTERM must get 120 s for flush + checkpoint before SIGKILL."
  }

  assert {
    condition     = strcontains(join(" ", jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].healthCheck.command), "/healthcheck")
    error_message = "The container health check must probe the admin /healthcheck."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].image == "${aws_ecr_repository.consumer.repository_url}:1.0.0"
    error_message = "The image comes from the stack's ECR repository."
  }

  # No secret at all: the cache is reached as the consumer's own ElastiCache user with IAM tokens the task signs.
  assert {
    condition = (!can(jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].secrets) &&
      { for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.name => e.value if contains(["REDIS_URI", "REDIS_USER", "REDIS_CACHE_NAME"], e.name) } ==
    { REDIS_URI = var.redis.url, REDIS_USER = var.redis.user.id, REDIS_CACHE_NAME = var.redis.cache.name })
    error_message = "The consumer gets the cache's URL (no credentials), its user and the cache's name as plain environment, and no secret."
  }

  assert {
    condition = (!anytrue([for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment :
      can(regex("(?i)(token|password|passwd|secret|credential)", e.name)) || can(regex("://[^/@]*@", e.value))]) &&
    !strcontains(jsonencode(jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment), "secretsmanager"))
    error_message = "No secret-looking variable (token, password, secret, credentials in a URL) in the consumer's environment."
  }

  # Every grant of the stack key names the services it is used through.
  assert {
    condition = (one([for s in jsondecode(output.policy_documents["ingest-fleet/task-policy"]).Statement : s.Condition if s.Sid == "Kms"]) ==
      { StringEquals = { "kms:ViaService" = ["kinesis.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"] } } &&
      one([for s in jsondecode(output.policy_documents["ingest-fleet/execution-policy"]).Statement : s.Condition if s.Sid == "DecryptImage"]) ==
      { StringEquals = { "kms:ViaService" = "ecr.eu-west-1.amazonaws.com" } } &&
      alltrue([for doc in ["ingest-fleet/task-policy", "ingest-fleet/execution-policy"] : alltrue([for s in jsondecode(output.policy_documents[doc]).Statement :
    can(s.Condition.StringEquals["kms:ViaService"]) if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])])]))
    error_message = "The consumer's grants of the stack key must carry kms:ViaService: Kinesis, DynamoDB and S3 for the task, ECR for the image pull."
  }

  assert {
    condition = one([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : s if s.Sid == "CacheConnect"]) == {
      Sid = "CacheConnect", Effect = "Allow", Action = "elasticache:Connect", Resource = [var.redis.cache.arn, var.redis.user.arn]
    }
    error_message = "The task role may connect to this cache as the consumer's user only (elasticache:Connect)."
  }

  assert {
    condition     = aws_ecs_service.consumer.deployment_circuit_breaker[0].enable && aws_ecs_service.consumer.deployment_circuit_breaker[0].rollback
    error_message = "Deployments roll back automatically when tasks fail."
  }

  assert {
    condition     = aws_appautoscaling_target.consumer.max_capacity <= var.settings.shard_count && aws_appautoscaling_target.consumer.min_capacity == 2
    error_message = "Desired count stays at or below the shard count."
  }

  assert {
    condition     = aws_appautoscaling_policy.cpu.target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ECSServiceAverageCPUUtilization"
    error_message = "Autoscaling tracks CPU."
  }

  # The lag policy tracks the consumer's own metric (kcl-consumer ingest/LagMetrics writes it, by the contract's
  # metrics.consumer_lag: namespace, metric, stream dimension; LagMetricsTest checks the Java side), at its Maximum.
  assert {
    condition = (length(aws_appautoscaling_policy.lag.target_tracking_scaling_policy_configuration[0].customized_metric_specification) == 1 &&
      alltrue([for m in aws_appautoscaling_policy.lag.target_tracking_scaling_policy_configuration[0].customized_metric_specification :
        m.namespace == var.contract.metrics.consumer_lag.namespace && m.metric_name == var.contract.metrics.consumer_lag.metric && m.statistic == "Maximum" &&
        [for d in m.dimensions : { name = d.name, value = d.value }] == [{ name = var.contract.metrics.consumer_lag.stream_dimension, value = var.stream.name }]
      ]) &&
    output.lag_metric == { namespace = var.contract.metrics.consumer_lag.namespace, metric_name = var.contract.metrics.consumer_lag.metric, dimensions = { (var.contract.metrics.consumer_lag.stream_dimension) = var.stream.name } })
    error_message = "The lag scaling policy must track the Maximum of the contract's metrics.consumer_lag metric (namespace, metric name, stream dimension) for this stream."
  }

  # Never the stream's iterator age again: GetRecords.IteratorAgeMilliseconds has no data under enhanced fan-out
  # (SubscribeToShard), so a policy on it, or on anything of AWS/Kinesis, never scales a fan-out fleet.
  assert {
    condition = alltrue([for m in aws_appautoscaling_policy.lag.target_tracking_scaling_policy_configuration[0].customized_metric_specification :
    m.namespace != "AWS/Kinesis" && !strcontains(m.metric_name, "IteratorAge") && !strcontains(m.metric_name, "GetRecords")])
    error_message = "The lag scaling policy must not track an AWS/Kinesis metric (GetRecords.IteratorAgeMilliseconds is blind to enhanced fan-out)."
  }

  assert {
    condition     = aws_ecr_repository.consumer.encryption_configuration[0].encryption_type == "KMS" && aws_ecr_repository.consumer.image_tag_mutability == "IMMUTABLE" && aws_cloudwatch_log_group.consumer.kms_key_id == var.kms_key_arn
    error_message = "Image repository and logs are KMS-encrypted; tags are immutable."
  }

  assert {
    condition     = !aws_ecs_service.consumer.network_configuration[0].assign_public_ip
    error_message = "Tasks run without public IPs."
  }

  # The task role: only the stream, the eight tables (+ the exposures' time index), two S3 prefixes, the key, the cache as
  # its own user, PutEvents, the two datasets, metrics.
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : flatten([s.Resource])])) == toset([
      var.stream.arn, var.lease_table.arn, var.interactions_table.arn, var.user_profiles_table.arn, var.items_table.arn, var.users_table.arn,
      var.personalize_datasets.items, var.personalize_datasets.users,
      var.experiment_tables.exposures.arn, "${var.experiment_tables.exposures.arn}/index/TimeIndex",
      var.experiment_tables.experiment_users.arn, var.experiment_tables.experiments.arn,
      "arn:aws:s3:::recsys-data/raw/*", "arn:aws:s3:::recsys-data/dead-letter/*", var.kms_key_arn,
      var.redis.cache.arn, var.redis.user.arn, "arn:aws:personalize:eu-west-1:123456789012:event-tracker/*", "*",
    ])
    error_message = "The task role reaches exactly the resources the consumer uses."
  }

  assert {
    condition     = !strcontains(aws_iam_role_policy.task.policy, "SubscribeToShard") && !strcontains(aws_iam_role_policy.task.policy, "CreateTable")
    error_message = "No enhanced fan-out unless selected; no CreateTable (Terraform owns the lease table)."
  }

  # ---- the online loop ----
  # Every (action, resource) pair the task role holds on the three tables, exactly: the calls of
  # sink/DynamoExposureStore + IdempotentTable + ConsistentBatchGet (exposures: BatchGetItem, BatchWriteItem),
  # sink/DynamoExposureLookup (BatchGetItem; Query on the TimeIndex only), sink/DynamoExperimentStore +
  # VersionedRows (experiment_users: BatchGetItem, conditional PutItem), results/ExperimentResultsJob (Scan of
  # experiment_users; Scan + PutItem of experiments). A wider resource ("*", table/*) or another action fails.
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : [
      for a in flatten([s.Action]) : [for r in flatten([s.Resource]) : "${a} ${r}" if r == "*" || strcontains(r, ":table/recsys-ex")]
      ]])) == toset([
      "dynamodb:BatchGetItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-exposures",
      "dynamodb:BatchWriteItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-exposures",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-exposures/index/TimeIndex",
      "dynamodb:BatchGetItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiment-users",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiment-users",
      "dynamodb:Scan arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiment-users",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments",
      "dynamodb:Scan arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments",
      "cloudwatch:PutMetricData *",
    ])
    error_message = "The task role must grant exactly the consumer's calls on exposures, experiment_users and experiments (and nothing else on \"*\" but PutMetricData)."
  }

  assert {
    condition = ({ for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.name => e.value if contains([
      "EXPOSURES_TABLE", "EXPERIMENT_USERS_TABLE", "EXPERIMENTS_TABLE", "ATTRIBUTION_WINDOW", "CLICK_EVENT_TYPES", "CONVERSION_EVENT_TYPES",
      "EXPERIMENT_RESULTS_INTERVAL", "EXPERIMENT_CONTROL_VARIANT", "EXPERIMENT_ALPHA", "EXPERIMENT_MIN_USERS", "EXPERIMENT_MIN_EXPOSURES",
      "EXPERIMENT_TTL_DAYS", "AWS_EMF_ENVIRONMENT"], e.name) } == {
      EXPOSURES_TABLE             = "recsys-exposures"
      EXPERIMENT_USERS_TABLE      = "recsys-experiment-users"
      EXPERIMENTS_TABLE           = "recsys-experiments"
      ATTRIBUTION_WINDOW          = "30m"
      CLICK_EVENT_TYPES           = "click,view"
      CONVERSION_EVENT_TYPES      = "purchase"
      EXPERIMENT_RESULTS_INTERVAL = "1m"
      EXPERIMENT_CONTROL_VARIANT  = "pop"
      EXPERIMENT_ALPHA            = "0.05"
      EXPERIMENT_MIN_USERS        = "200"
      EXPERIMENT_MIN_EXPOSURES    = "5000"
      EXPERIMENT_TTL_DAYS         = "30"
      AWS_EMF_ENVIRONMENT         = "Local"
    })
    error_message = "The container gets the online loop's tables, attribution and statistics settings (defaults of consumer.yml unless set), and EMF to stdout."
  }

  # ---- the catalogs: item and user records ----
  # Every (action, resource) pair the task role holds on the items and users tables and on Personalize's datasets, and
  # every PutItems / PutUsers grant wherever it is, exactly: sink/ writes each record with one conditional PutItem
  # (items to the items table, users to the users table), realtime/ forwards the applied upserts with PutItems to the
  # Items dataset and PutUsers to the Users dataset. A wider resource (dataset/*, the other dataset, "*"), a swapped
  # table or another action fails.
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : [
      for a in flatten([s.Action]) : [for r in flatten([s.Resource]) : "${a} ${r}"
      if contains([var.items_table.arn, var.users_table.arn], r) || can(regex(":personalize:.*:dataset/", r)) || contains(["personalize:PutItems", "personalize:PutUsers"], a)]
      ]])) == toset([
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-items",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-users",
      "personalize:PutItems arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/ITEMS",
      "personalize:PutUsers arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/USERS",
    ])
    error_message = "The task role must grant exactly PutItem on the items and on the users table, PutItems on the Items dataset and PutUsers on the Users dataset."
  }

  assert {
    condition = ({ for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.name => e.value if contains([
      "ITEMS_TABLE", "USERS_TABLE", "PERSONALIZE_ITEMS_DATASET_ARN", "PERSONALIZE_USERS_DATASET_ARN"], e.name) } == {
      ITEMS_TABLE                   = "recsys-items"
      USERS_TABLE                   = "recsys-users"
      PERSONALIZE_ITEMS_DATASET_ARN = "arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/ITEMS"
      PERSONALIZE_USERS_DATASET_ARN = "arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/USERS"
    })
    error_message = "The container gets the items and users tables and the Items and Users dataset ARNs it forwards records to."
  }

  # The contract's environment.kcl_consumer: every variable the task sets is one it declares, so one consumer.yml
  # reads (a typo or a rename on one side fails here or in ConsumerEnvironmentTest); JAVA_TOOL_OPTIONS is the JVM's.
  assert {
    condition = alltrue([for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment :
      contains(values(var.contract.environment.kcl_consumer), e.name) || e.name == "JAVA_TOOL_OPTIONS"
    ])
    error_message = "The task sets an environment variable the contract's environment.kcl_consumer (what consumer.yml reads) does not declare."
  }
}

run "fleet_with_enhanced_fan_out" {
  command = apply

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    settings = merge(var.settings, { use_enhanced_fan_out = true })
  }

  assert {
    condition = anytrue([for s in jsondecode(aws_iam_role_policy.task.policy).Statement :
    contains(flatten([s.Action]), "kinesis:SubscribeToShard") && s.Resource == "${var.stream.arn}/consumer/*"])
    error_message = "Enhanced fan-out grants SubscribeToShard on this stream's consumers only."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment[index([for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.name], "KCL_RETRIEVAL_MODE")].value == "FANOUT"
    error_message = "The container is told to use enhanced fan-out."
  }

  # With fan-out selected the lag policy still has data: the consumer's metric, not the stream's GetRecords iterator age.
  assert {
    condition = alltrue([for m in aws_appautoscaling_policy.lag.target_tracking_scaling_policy_configuration[0].customized_metric_specification :
    m.namespace == var.contract.metrics.consumer_lag.namespace && m.metric_name == var.contract.metrics.consumer_lag.metric && m.namespace != "AWS/Kinesis"])
    error_message = "Under enhanced fan-out the lag scaling policy must track the consumer's metrics.consumer_lag metric."
  }
}

run "more_tasks_than_shards_is_refused" {
  command = plan

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    settings = merge(var.settings, { max_count = 6 })
  }

  expect_failures = [aws_ecs_service.consumer]
}

run "an_attribution_window_dropwizard_cannot_parse_is_refused" {
  command = plan

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    settings = merge(var.settings, { experiment = { attribution_window = "30 minutes" } })
  }

  expect_failures = [var.settings]
}

run "an_alpha_above_one_half_is_refused" {
  command = plan

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    settings = merge(var.settings, { experiment = { alpha = 0.9 } }) # DecisionConfig: alpha in (0, 0.5]
  }

  expect_failures = [var.settings]
}

# A dataset ARN with a wildcard (or of another type) would widen PutItems / PutUsers: refused.
run "a_wildcard_dataset_arn_is_refused" {
  command = plan

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    personalize_datasets = { items = "arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/*", users = "arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/USERS" }
  }

  expect_failures = [var.personalize_datasets]
}

run "swapped_dataset_arns_are_refused" {
  command = plan

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    personalize_datasets = { items = var.personalize_datasets.users, users = var.personalize_datasets.items }
  }

  expect_failures = [var.personalize_datasets]
}

# The contract link: the consumer's object grants and its log-derived error metric follow a renamed contract.
run "names_come_from_the_contract" {
  command = apply

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    contract_file = var.renamed_contract_file
    contract      = jsondecode(file("tests/fixtures/renamed-contract.json"))
  }

  assert {
    condition = (contains(one([for s in jsondecode(output.policy_documents["ingest-fleet/task-policy"]).Statement : s.Resource if s.Sid == "RawAndDeadLetter"]), "arn:aws:s3:::recsys-data/${var.contract.s3.dead_letter_prefix}*") &&
    aws_cloudwatch_log_metric_filter.errors.metric_transformation[0].name == var.contract.metrics.consumer_errors)
    error_message = "dead-letter/ grants and the ConsumerErrors metric name come from the contract."
  }

  # The lag policy's namespace, metric and dimension names follow the contract (no name written a second time here).
  assert {
    condition = (aws_appautoscaling_policy.lag.target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].namespace == "XRecsys/Consumer" &&
      aws_appautoscaling_policy.lag.target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metric_name == "XMillisBehindLatest" &&
      [for d in aws_appautoscaling_policy.lag.target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].dimensions : d.name] == ["XStreamName"] &&
    output.lag_metric.metric_name == var.contract.metrics.consumer_lag.metric)
    error_message = "The lag scaling policy's namespace, metric and dimension names come from the contract's metrics.consumer_lag."
  }

  assert {
    condition     = aws_cloudwatch_log_metric_filter.errors.metric_transformation[0].namespace == "recsys/x-kcl-consumer" && output.metrics_namespace == "recsys/x-kcl-consumer"
    error_message = "The consumer's metric namespace is <name>/<the contract's consumer_namespace_suffix>."
  }

  # Every variable the task is given, the cache's included, is named by the contract's environment.kcl_consumer.
  assert {
    condition = (alltrue([for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment :
      contains(values(var.contract.environment.kcl_consumer), e.name) || e.name == "JAVA_TOOL_OPTIONS"]) &&
      output.container_environment.X_REDIS_URI == var.redis.url && output.container_environment.X_REDIS_USER == var.redis.user.id &&
      output.container_environment.X_KINESIS_STREAM == "recsys-interactions" && output.container_environment.X_AWS_EMF_ENVIRONMENT == "Local" &&
      { for k in ["X_USERS_TABLE", "X_ITEMS_TABLE", "X_PERSONALIZE_ITEMS_DATASET_ARN", "X_PERSONALIZE_USERS_DATASET_ARN"] : k => lookup(output.container_environment, k, null) } ==
    { X_USERS_TABLE = var.users_table.name, X_ITEMS_TABLE = var.items_table.name, X_PERSONALIZE_ITEMS_DATASET_ARN = var.personalize_datasets.items, X_PERSONALIZE_USERS_DATASET_ARN = var.personalize_datasets.users })
    error_message = "The task's environment variables must be named by the contract's environment.kcl_consumer."
  }
}
