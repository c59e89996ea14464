output "state_machine_arn" {
  description = "ARN of the training state machine."
  value       = aws_sfn_state_machine.training.arn
}

output "state_machine_definition" {
  description = "The rendered ASL definition."
  value       = local.definition
}

output "training_function_name" {
  description = "Name of the training task function."
  value       = module.function.function_name
}

output "training_function_arn" {
  description = "ARN of the training task function."
  value       = module.function.arn
}

output "function" {
  description = "The deployed training function's settings (modules/lambda-function output settings)."
  value       = module.function.settings
}

output "glue_job_name" {
  description = "Name of the data-preparation Glue job."
  value       = aws_glue_job.prepare.name
}

output "dataset_group_role_arn" {
  description = "Role Personalize assumes to use the stack's KMS key for the dataset group (CreateDatasetGroup roleArn)."
  value       = aws_iam_role.dataset_group.arn
}

output "execution_ended_rule" {
  description = "EventBridge rule sending training executions that timed out, were aborted or failed to the topic: its name and event pattern."
  value       = { name = aws_cloudwatch_event_rule.execution_ended.name, event_pattern = aws_cloudwatch_event_rule.execution_ended.event_pattern }
}

output "personalize_role_arn" {
  description = "Role Personalize assumes to import the prepared CSV."
  value       = aws_iam_role.personalize.arn
}

output "dataset_arns" {
  description = "ARNs of the dataset group's Items and Users datasets (items, users), which the pipeline creates: <dataset group = name>/ITEMS and /USERS. The consumer's PutItems / PutUsers target."
  value       = local.dataset_arns
}

output "variant_campaign_arns" {
  description = "Campaign ARN per A/B variant (created by the pipeline under these names)."
  value       = local.campaign_arns
}

output "campaign_arns" {
  description = "Every campaign the pipeline creates, by solution name: the variants, similar, ranking and trending."
  value       = local.all_campaign_arns
}

output "similar_items_campaign_arn" {
  description = "Campaign of the related-items solution (<name>-similar, created by the pipeline); null when related_items_recipe_arn is \"\"."
  value       = local.similar_items_campaign_arn
}

output "trending_campaign_arn" {
  description = "Campaign of the trending solution (<name>-trending, created by the pipeline); null when trending_recipe_arn is \"\"."
  value       = local.trending_campaign_arn
}

output "ranking_campaign_arn" {
  description = "Campaign of the personalized-ranking solution (<name>-ranking, created by the pipeline); null when ranking_recipe_arn is \"\"."
  value       = local.ranking_campaign_arn
}

output "function_environment" {
  description = "Environment of the training function (the contract with the handler's configuration)."
  value       = local.environment
}

output "function_library_environment" {
  description = "Variables the function gets for its libraries (the contract's environment.lambda_libraries): Powertools' service name."
  value       = local.library_environment
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = {
    "training/lambda-trust"         = module.function.trust_policy
    "training/training-policy"      = module.function.policy
    "training/personalize-trust"    = local.service_trust["personalize"]
    "training/personalize-policy"   = local.personalize_policy
    "training/glue-trust"           = local.service_trust["glue"]
    "training/glue-policy"          = local.glue_policy
    "training/states-trust"         = local.service_trust["states"]
    "training/states-policy"        = local.states_policy
    "training/scheduler-trust"      = local.service_trust["scheduler"]
    "training/scheduler-policy"     = local.scheduler_policy
    "training/dataset-group-trust"  = local.service_trust["personalize"]
    "training/dataset-group-policy" = local.dataset_group_policy
    "training/events-trust"         = local.service_trust["events"]
    "training/events-policy"        = local.events_policy
  }
}

output "filters" {
  description = "Per configured filter name: the ARN of the Personalize filter <name>-<filter> the pipeline creates, and its expression (the API needs both: the ARN to call, the expression for its parameters and to filter fallback answers)."
  value       = { for k, v in var.settings.filters : k => { arn = "${local.arn_prefix}:filter/${var.name}-${k}", expression = v } }
}
