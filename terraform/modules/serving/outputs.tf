output "invoke_url" {
  description = "Base URL of the API stage."
  value       = aws_api_gateway_stage.v1.invoke_url
}

output "rest_api_name" {
  description = "Name of the REST API (the ApiName dimension of its metrics)."
  value       = aws_api_gateway_rest_api.this.name
}

output "stage_name" {
  description = "Stage name."
  value       = aws_api_gateway_stage.v1.stage_name
}

output "api_key_ids" {
  description = "API key id per client (read the value with `aws apigateway get-api-key --include-value`)."
  value       = { for k, v in aws_api_gateway_api_key.client : k => v.id }
}

output "function_name" {
  description = "Name of the API function."
  value       = module.function.function_name
}

output "alias_name" {
  description = "Alias API Gateway invokes."
  value       = module.function.alias_name
}

output "function_environment" {
  description = "Environment of the API function (the contract with the handler's configuration)."
  value       = local.environment
}

output "function_library_environment" {
  description = "Variables the function gets for its libraries (the contract's environment.lambda_libraries): Powertools' service name."
  value       = local.library_environment
}

output "function" {
  description = "The deployed function's settings (modules/lambda-function output settings), its alias and version."
  value       = merge(module.function.settings, { version = module.function.version, alias_name = module.function.alias_name, alias_version = module.function.alias_version, alias_invoke_arn = module.function.alias_invoke_arn })
}

output "metrics_namespace" {
  description = "EMF namespace the handler should publish to."
  value       = local.metrics_ns
}

output "routes" {
  description = "Method and path of every API route, by route key."
  value       = { for k, r in local.routes : k => "${r.method} /${r.path}" }
}

output "exposure_routes" {
  description = "Routes whose answers are recorded as exposures: the Route dimension of the handler's ExposureDropped metric."
  value       = local.exposure_routes
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = {
    "serving/lambda-trust"      = module.function.trust_policy
    "serving/function-policy"   = module.function.policy
    "serving/apigw-logs-trust"  = local.apigw_logs_trust
    "serving/apigw-logs-policy" = local.apigw_logs_policy
  }
}

output "auth" {
  description = "Caller identity: the user pool (id, ARN), the token issuer, the end-user and machine client ids, the scopes and, with a domain, the token endpoint. The machine client's secret is never an output: read it from Cognito."
  value = {
    user_pool_id      = local.user_pool_id
    user_pool_arn     = local.user_pool_arn
    issuer_url        = "https://cognito-idp.${local.pool_region}.amazonaws.com/${local.user_pool_id}"
    user_client_id    = aws_cognito_user_pool_client.user.id
    machine_client_id = aws_cognito_user_pool_client.machine.id
    user_scope        = local.user_scope
    any_user_scope    = local.any_user_scope
    token_endpoint    = local.auth.domain_prefix == null ? null : "https://${local.auth.domain_prefix}.auth.${local.pool_region}.amazoncognito.com/oauth2/token"
  }
}
