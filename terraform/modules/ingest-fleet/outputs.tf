output "ecr_repository_url" {
  description = "ECR repository to push the kcl-consumer image to."
  value       = aws_ecr_repository.consumer.repository_url
}

output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service name."
  value       = aws_ecs_service.consumer.name
}

output "log_group_name" {
  description = "Consumer log group."
  value       = aws_cloudwatch_log_group.consumer.name
}

output "metrics_namespace" {
  description = "Namespace of the consumer's log-derived metrics."
  value       = local.metrics_ns
}

output "lag_metric" {
  description = "The consumer's lag metric the lag scaling policy tracks (contract metrics.consumer_lag): namespace, metric name and dimensions, for alarms and dashboards."
  value = {
    namespace   = local.lag_metric.namespace
    metric_name = local.lag_metric.metric
    dimensions  = { (local.lag_metric.stream_dimension) = var.stream.name }
  }
}

output "task_role_arn" {
  description = "ARN of the consumer task role."
  value       = aws_iam_role.task.arn
}

output "container_environment" {
  description = "Environment of the consumer container (the contract with consumer.yml)."
  value       = local.environment
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = {
    "ingest-fleet/ecs-trust"        = local.ecs_trust
    "ingest-fleet/execution-policy" = local.execution_policy
    "ingest-fleet/task-policy"      = local.task_policy
  }
}
