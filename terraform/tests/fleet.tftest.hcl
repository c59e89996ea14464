# Ingest fleet invariants: graceful shutdown window, health check, circuit breaker, autoscaling on
# lag and CPU capped at the shard count, least-privilege task role, encrypted image and logs.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                 = "recsys"
  region               = "eu-west-1"
  account_id           = "123456789012"
  kms_key_arn          = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  subnet_ids           = ["subnet-a", "subnet-b"]
  security_group_id    = "sg-consumer"
  image_tag            = "1.0.0"
  min_count            = 2
  max_count            = 4
  shard_count          = 4
  stream_name          = "recsys-interactions"
  stream_arn           = "arn:aws:kinesis:eu-west-1:123456789012:stream/recsys-interactions"
  application_name     = "recsys-kcl-consumer"
  lease_table_arn      = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-kcl-consumer"
  interactions_table   = { name = "recsys-interactions", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-interactions" }
  user_profiles_table  = { name = "recsys-user-profiles", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-user-profiles" }
  bucket               = { name = "recsys-data", arn = "arn:aws:s3:::recsys-data" }
  redis_uri_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recsys/redis-uri-AbCdEf"
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
    condition = (jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].image == "${aws_ecr_repository.consumer.repository_url}:1.0.0" &&
    jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].secrets[0] == { name = "REDIS_URI", valueFrom = var.redis_uri_secret_arn })
    error_message = "The image comes from the stack's ECR repository; the Redis URI (with its token) is a secret, not plain environment."
  }

  assert {
    condition     = aws_ecs_service.consumer.deployment_circuit_breaker[0].enable && aws_ecs_service.consumer.deployment_circuit_breaker[0].rollback
    error_message = "Deployments roll back automatically when tasks fail."
  }

  assert {
    condition     = aws_appautoscaling_target.consumer.max_capacity <= var.shard_count && aws_appautoscaling_target.consumer.min_capacity == 2
    error_message = "Desired count stays at or below the shard count."
  }

  assert {
    condition = (aws_appautoscaling_policy.iterator_age.target_tracking_scaling_policy_configuration[0].customized_metric_specification[0].metric_name == "GetRecords.IteratorAgeMilliseconds" &&
    aws_appautoscaling_policy.cpu.target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ECSServiceAverageCPUUtilization")
    error_message = "Autoscaling tracks consumer lag (iterator age) and CPU."
  }

  assert {
    condition     = aws_ecr_repository.consumer.encryption_configuration[0].encryption_type == "KMS" && aws_ecr_repository.consumer.image_tag_mutability == "IMMUTABLE" && aws_cloudwatch_log_group.consumer.kms_key_id == var.kms_key_arn
    error_message = "Image repository and logs are KMS-encrypted; tags are immutable."
  }

  assert {
    condition     = !aws_ecs_service.consumer.network_configuration[0].assign_public_ip
    error_message = "Tasks run without public IPs."
  }

  # The task role: only the stream, the three tables, two S3 prefixes, the key, PutEvents, metrics.
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : flatten([s.Resource])])) == toset([
      var.stream_arn, var.lease_table_arn, var.interactions_table.arn, var.user_profiles_table.arn,
      "arn:aws:s3:::recsys-data/raw/*", "arn:aws:s3:::recsys-data/dead-letter/*", var.kms_key_arn,
      "arn:aws:personalize:eu-west-1:123456789012:event-tracker/*", "*",
    ])
    error_message = "The task role reaches exactly the resources the consumer uses."
  }

  assert {
    condition     = !strcontains(aws_iam_role_policy.task.policy, "SubscribeToShard") && !strcontains(aws_iam_role_policy.task.policy, "CreateTable")
    error_message = "No enhanced fan-out unless selected; no CreateTable (Terraform owns the lease table)."
  }
}

run "fleet_with_enhanced_fan_out" {
  command = apply

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    use_enhanced_fan_out = true
  }

  assert {
    condition = anytrue([for s in jsondecode(aws_iam_role_policy.task.policy).Statement :
    contains(flatten([s.Action]), "kinesis:SubscribeToShard") && s.Resource == "${var.stream_arn}/consumer/*"])
    error_message = "Enhanced fan-out grants SubscribeToShard on this stream's consumers only."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment[index([for e in jsondecode(aws_ecs_task_definition.consumer.container_definitions)[0].environment : e.name], "KCL_RETRIEVAL_MODE")].value == "FANOUT"
    error_message = "The container is told to use enhanced fan-out."
  }
}

run "more_tasks_than_shards_is_refused" {
  command = plan

  module {
    source = "./modules/ingest-fleet"
  }

  variables {
    max_count = 6
  }

  expect_failures = [aws_ecs_service.consumer]
}
