output "api_invoke_url" {
  description = "Base URL of the recommendation API (send the key in the x-api-key header)."
  value       = module.serving.invoke_url
}

output "api_key_ids" {
  description = "API key id per client; fetch a value with `aws apigateway get-api-key --api-key <id> --include-value`."
  value       = module.serving.api_key_ids
}

output "producer_policy_arn" {
  description = "Managed policy to attach to the role of anything that writes interactions to the stream (PutRecord/PutRecords, and the stream key's data keys through Kinesis only)."
  value       = module.streaming.producer_policy_arn
}

output "api_auth" {
  description = "Caller identity of the API (modules/serving output auth): user pool id and ARN, issuer URL, end-user and machine client ids, scopes, token endpoint (null without a domain). The machine client's secret is not an output: read it from Cognito."
  value       = module.serving.auth
}

output "stream_name" {
  description = "Kinesis stream producers write to (partition key = user_id)."
  value       = module.streaming.stream_name
}

output "ecr_repository_url" {
  description = "Where to push the kcl-consumer image (tag = consumer_image_tag)."
  value       = module.ingest_fleet.ecr_repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster of the consumer fleet."
  value       = module.ingest_fleet.cluster_name
}

output "ecs_service_name" {
  description = "ECS service of the consumer fleet."
  value       = module.ingest_fleet.service_name
}

output "bucket_name" {
  description = "Data bucket (raw/, dead-letter/, prepared/, config/, artifacts/)."
  value       = module.storage.bucket.name
}

output "tables" {
  description = "DynamoDB table names."
  value = {
    interactions     = module.storage.interactions_table.name
    user_profiles    = module.storage.user_profiles_table.name
    items            = module.storage.items_table.name
    users            = module.storage.users_table.name
    kcl_leases       = module.storage.lease_table_name
    exposures        = module.storage.experiment_tables.exposures.name
    experiment_users = module.storage.experiment_tables.experiment_users.name
    experiments      = module.storage.experiment_tables.experiments.name
  }
}

output "redis_primary_endpoint" {
  description = "Redis primary endpoint (TLS; IAM authentication as each component's own user, no password)."
  value       = module.storage.redis_primary_endpoint
}

output "redis_users" {
  description = "The cache's users by component (api, consumer): id (= name) and ARN, for elasticache:Connect grants."
  value       = module.storage.redis_users
}

output "kms_key_arn" {
  description = "The stack's customer-managed KMS key."
  value       = module.security.kms_key_arn
}

output "state_machine_arn" {
  description = "Training pipeline; start a run with `aws stepfunctions start-execution`."
  value       = module.training.state_machine_arn
}

output "personalize_names" {
  description = "Names the training pipeline gives the Personalize resources it creates (delete these before destroy)."
  value = {
    dataset_group    = var.name
    datasets         = module.training.dataset_arns
    campaigns        = module.training.campaign_arns
    personalize_role = module.training.personalize_role_arn
  }
}

output "sns_topic_arn" {
  description = "Alerts and training notifications."
  value       = module.monitoring.sns_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard covering the whole flow."
  value       = module.monitoring.dashboard_name
}

output "alarms_by_component" {
  description = "Alarm names per component."
  value       = module.monitoring.alarms_by_component
}

output "app_environment" {
  description = "Environment each component receives: the contract with the application configuration."
  value = {
    kcl_consumer    = module.ingest_fleet.container_environment
    api_lambda      = module.serving.function_environment
    training_lambda = module.training.function_environment
  }
}

output "iam_policy_documents" {
  description = "Every IAM, key, bucket and topic policy this stack writes, by component, for review (and the no-wildcard-action test)."
  value = merge(
    module.security.policy_documents,
    module.network.policy_documents,
    module.streaming.policy_documents,
    module.storage.policy_documents,
    module.ingest_fleet.policy_documents,
    module.serving.policy_documents,
    module.training.policy_documents,
    module.monitoring.policy_documents,
  )
}
