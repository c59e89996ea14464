output "s3" {
  description = "Object key prefixes and fixed keys in the data bucket (raw_interactions_prefix, dead_letter_prefix, prepared_prefix, config_prefix, artifacts_prefix, popular_items_key, experiment_split_key, ...)."
  value       = local.contract.s3
}

output "tables" {
  description = "Per table (interactions, user_profiles, exposures, experiment_users, experiments): name suffix, key attribute names, index names and ttl attribute."
  value       = local.contract.tables
}

output "metrics" {
  description = "Metric namespaces and metric names shared by the code that emits them and the alarms that watch them."
  value       = local.contract.metrics
}

output "table_names" {
  description = "Table name per contract table, <name>-<suffix> (empty without var.name)."
  value       = local.table_names
}

output "recipes" {
  description = "Default recipe ARNs of the related-items and personalized-ranking solutions (related_items, ranking)."
  value       = local.contract.recipes
}

output "api" {
  description = "The API's routes by key (recommend, user_recommendations, ...: api-lambda's Route constants): method, template (/users/{userId}/recommendations) and whether its answers are recorded as exposures."
  value       = local.contract.api
}

output "experiment" {
  description = "The experiment a deployment runs when it names none (default_id)."
  value       = local.contract.experiment
}

output "environment" {
  description = "Per component (api_lambda, training_lambda, kcl_consumer), the environment variables its code reads: key => variable name. Modules set variables by key, so a rename in the contract reaches the setter and the reader."
  value       = { for k, v in local.contract.environment : k => v if !startswith(k, "_") }
}

output "filters" {
  description = "The filters a deployment gets when it names none: definitions (name => Personalize filter expression) and default_user_filter (the one user recommendations apply when the request names none)."
  value       = { definitions = local.contract.filters.definitions, default_user_filter = local.contract.filters.default_user_filter }
}

output "redis" {
  description = "The cache's users by component (api, consumer): name_suffix (user id = name = <name>-<suffix>) and access_string (its Redis ACL); iam_token: the service the tokens are signed for and their lifetime."
  value       = { for k, v in local.contract.redis : k => v if !startswith(k, "_") }
}
