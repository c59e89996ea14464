# REST API in front of the function. Every route's method requires an API key; the usage plan throttles
# and meters each key. Every route but the health probe also requires a Cognito token (auth.tf); their
# OPTIONS (CORS preflight) methods require neither.
# Only the two GET routes that are pure functions of their path and query (and token) may be served from the stage cache (and only when cache_ttl_seconds > 0); GET /experiments is not.

locals {
  cache_enabled = var.settings.cache_ttl_seconds > 0

  # Gateway route key => the contract's api.routes entry it exposes (its method and template, and whether its answers
  # are recorded as exposures: the routes api-lambda's http/Route serves), the query parameters the gateway validates
  # and whether the stage may cache it. /experiments reads results that change every minute: never cached.
  gateway_routes = {
    post_recommendations = { route = "recommend", query = [], cacheable = false }
    get_user_recs        = { route = "user_recommendations", query = ["limit", "filter", "filter_values", "metadata_columns"], cacheable = true }
    get_similar_items    = { route = "similar_items", query = ["limit", "user_id", "filter", "filter_values", "metadata_columns"], cacheable = true }
    get_trending         = { route = "trending", query = ["limit", "filter", "filter_values", "metadata_columns"], cacheable = true }
    get_popular          = { route = "popular", query = ["limit", "filter", "filter_values", "metadata_columns"], cacheable = true }
    post_rankings        = { route = "rankings", query = [], cacheable = false }
    get_experiments      = { route = "experiments", query = ["experiment"], cacheable = false }
    get_health           = { route = "health", query = [], cacheable = false }
  }

  # path: the template without its leading slash (users/{userId}/recommendations), the gateway's resource path.
  routes = {
    for k, r in local.gateway_routes : k => merge(r, {
      method      = module.contract.api.routes[r.route].method
      path        = trimprefix(module.contract.api.routes[r.route].template, "/")
      path_params = [for p in regexall("\\{([^}]+)\\}", module.contract.api.routes[r.route].template) : p[0]]
      exposure    = module.contract.api.routes[r.route].exposure
      auth        = module.contract.api.routes[r.route].auth
    })
  }

  # The resource tree, built from the routes' paths: every prefix of every path, one resource block per depth
  # (a resource's parent must exist first): "users", "users/{userId}", "users/{userId}/recommendations".
  segments     = { for k, r in local.routes : k => split("/", r.path) }
  first_level  = toset([for s in values(local.segments) : s[0]])
  second_level = toset([for s in values(local.segments) : join("/", slice(s, 0, 2)) if length(s) >= 2])
  third_level  = toset([for s in values(local.segments) : join("/", slice(s, 0, 3)) if length(s) >= 3])

  resource_ids = merge(
    { for p in local.first_level : p => aws_api_gateway_resource.top[p].id },
    { for p in local.second_level : p => aws_api_gateway_resource.second_level[p].id },
    { for p in local.third_level : p => aws_api_gateway_resource.third_level[p].id },
  )

  # Browsers send a CORS preflight (OPTIONS, without token or API key) before calling a route that needs a token:
  # one OPTIONS method per resource path of a user or machine route. The handler answers it (ApiRouter, http/Cors),
  # with CORS headers only for the origins of RECSYS_CORS_ORIGINS.
  preflight_paths = toset([for r in values(local.routes) : r.path if r.auth != "none"])

  # The Route dimension of the handler's metrics (Route.template()), for the routes that record exposures.
  exposure_routes = sort([for k, r in local.routes : "/${r.path}" if r.exposure])

  # With the stage cache on, a cached answer is served without reaching the handler's "only your own user"
  # check: the caller's token joins the cache key of every cacheable route that needs one.
  method_params = {
    for k, r in local.routes : k => merge(
      { for p in r.path_params : "method.request.path.${p}" => true },
      { for q in r.query : "method.request.querystring.${q}" => false },
      local.cache_enabled && r.cacheable && r.auth != "none" ? { "method.request.header.Authorization" = true } : {},
    )
  }
}

resource "aws_api_gateway_rest_api" "this" {
  name           = "${var.name}-api"
  description    = "Recommendations for ${var.name}"
  api_key_source = "HEADER"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    precondition {
      condition     = toset([for r in values(local.gateway_routes) : r.route]) == toset(keys(module.contract.api.routes))
      error_message = "Every route of the contract's api.routes needs exactly one entry in local.gateway_routes (and no other): the gateway exposes what api-lambda serves."
    }

    precondition {
      condition     = alltrue([for r in values(local.routes) : contains(keys(local.route_authorization), r.auth)])
      error_message = "Every contract route's auth must be user, machine or none."
    }

    precondition {
      condition     = !contains([for r in values(local.routes) : r.method], "OPTIONS")
      error_message = "A contract route uses OPTIONS: the gateway reserves it for the CORS preflight of every user and machine route."
    }

    precondition {
      condition     = alltrue([for s in values(local.segments) : length(s) <= 3])
      error_message = "A route template has more than three segments: add a resource level to modules/serving/api.tf."
    }
  }
}

resource "aws_api_gateway_resource" "top" {
  for_each    = local.first_level
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_resource" "second_level" {
  for_each    = local.second_level
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.top[dirname(each.key)].id
  path_part   = basename(each.key)
}

resource "aws_api_gateway_resource" "third_level" {
  for_each    = local.third_level
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.second_level[dirname(each.key)].id
  path_part   = basename(each.key)
}

# The nested resources were written out one by one before the tree was built from the contract's templates.
moved {
  from = aws_api_gateway_resource.user_id
  to   = aws_api_gateway_resource.second_level["users/{userId}"]
}

moved {
  from = aws_api_gateway_resource.user_recommendations
  to   = aws_api_gateway_resource.third_level["users/{userId}/recommendations"]
}

moved {
  from = aws_api_gateway_resource.item_id
  to   = aws_api_gateway_resource.second_level["items/{itemId}"]
}

moved {
  from = aws_api_gateway_resource.item_similar
  to   = aws_api_gateway_resource.third_level["items/{itemId}/similar"]
}

resource "aws_api_gateway_request_validator" "params" {
  name                        = "path-and-query"
  rest_api_id                 = aws_api_gateway_rest_api.this.id
  validate_request_parameters = true
  validate_request_body       = false # the handler validates bodies and answers with typed 4xx JSON
}

resource "aws_api_gateway_method" "route" {
  for_each             = local.routes
  rest_api_id          = aws_api_gateway_rest_api.this.id
  resource_id          = local.resource_ids[each.value.path]
  http_method          = each.value.method
  authorization        = local.route_authorization[each.value.auth].type
  authorizer_id        = each.value.auth == "none" ? null : aws_api_gateway_authorizer.cognito.id
  authorization_scopes = each.value.auth == "none" ? null : local.route_authorization[each.value.auth].scopes
  api_key_required     = true # metering and throttling per client; identity is the token
  request_validator_id = aws_api_gateway_request_validator.params.id
  request_parameters   = local.method_params[each.key]
}

resource "aws_api_gateway_integration" "route" {
  for_each                = local.routes
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_method.route[each.key].resource_id
  http_method             = aws_api_gateway_method.route[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.function.alias_invoke_arn
  timeout_milliseconds    = 29000
  # The cache key is the full request identity (path + query), never less.
  cache_key_parameters = each.value.cacheable ? keys(local.method_params[each.key]) : []
}

# CORS preflight: browsers send no token and no API key with it, so the method asks for neither; the same proxy
# integration lets the handler answer it (204, CORS headers only for the configured origins).
resource "aws_api_gateway_method" "preflight" {
  for_each         = local.preflight_paths
  rest_api_id      = aws_api_gateway_rest_api.this.id
  resource_id      = local.resource_ids[each.key]
  http_method      = "OPTIONS"
  authorization    = "NONE"
  api_key_required = false
}

resource "aws_api_gateway_integration" "preflight" {
  for_each                = local.preflight_paths
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_method.preflight[each.key].resource_id
  http_method             = aws_api_gateway_method.preflight[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.function.alias_invoke_arn
  timeout_milliseconds    = 29000
}

# Any stage, method (OPTIONS included) and resource of this API; only the live alias.
resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  qualifier     = module.function.alias_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*/*"
}

# The gateway's own errors (no key 403, authorizer 401, usage plan 429, 5xx) never reach the handler, so without CORS
# headers a page sees them as a network failure and cannot tell "sign in again" from an outage. A gateway response
# holds one static header value: with exactly one allowed origin (or "*") it names it; with several, none (the handler
# still answers every request and preflight for each of them). local/runner LocalApiOptions.gatewayErrorOrigin mirrors it.
locals {
  gateway_error_origin = contains(var.settings.cors_origins, "*") ? "*" : length(var.settings.cors_origins) == 1 ? var.settings.cors_origins[0] : null
}

resource "aws_api_gateway_gateway_response" "cors" {
  for_each      = local.gateway_error_origin == null ? toset([]) : toset(["DEFAULT_4XX", "DEFAULT_5XX"])
  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = each.key

  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin" = "'${local.gateway_error_origin}'"
  }
}

locals {
  # Everything a stage serves from: a change to any of it must create a new deployment.
  redeployment_inputs = [
    local.routes,
    local.method_params,
    [for m in aws_api_gateway_method.route : [m.id, m.authorization, m.authorizer_id, m.authorization_scopes]],
    [aws_api_gateway_authorizer.cognito.id, aws_api_gateway_authorizer.cognito.provider_arns],
    [for i in aws_api_gateway_integration.route : [i.id, i.uri]],
    [for m in aws_api_gateway_method.preflight : [m.id, m.authorization, m.api_key_required]],
    [for i in aws_api_gateway_integration.preflight : [i.id, i.uri]],
    [for r in aws_api_gateway_gateway_response.cors : [r.response_type, r.response_parameters]],
  ]
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(jsonencode(local.redeployment_inputs))
  }

  lifecycle {
    create_before_destroy = true
  }
}

# ---- Stage: access logs, execution logs, X-Ray, throttling, cache ------------------------------

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}-api/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# API Gateway would create this group itself, unencrypted and without retention.
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/v1"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

locals {
  apigw_logs_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  # The role is account-wide (one per region), used by every API's stage logging, so it is
  # scoped to API Gateway's own log group name patterns rather than this stack's groups.
  apigw_logs_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"]
      Resource = ["arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:API-Gateway-Execution-Logs_*", "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:/aws/apigateway/*"]
    }]
  })
}

resource "aws_iam_role" "apigw_logs" {
  count              = var.settings.manage_apigateway_account ? 1 : 0
  name_prefix        = "${var.name}-apigw-logs-"
  assume_role_policy = local.apigw_logs_trust
}

resource "aws_iam_role_policy" "apigw_logs" {
  count  = var.settings.manage_apigateway_account ? 1 : 0
  name   = "push-logs"
  role   = aws_iam_role.apigw_logs[0].id
  policy = local.apigw_logs_policy
}

resource "aws_api_gateway_account" "this" {
  count               = var.settings.manage_apigateway_account ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.apigw_logs[0].arn
}

resource "aws_api_gateway_stage" "v1" {
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = "v1"
  xray_tracing_enabled = true

  cache_cluster_enabled = local.cache_enabled
  cache_cluster_size    = local.cache_enabled ? "0.5" : null

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId      = "$context.requestId"
      extendedId     = "$context.extendedRequestId"
      ip             = "$context.identity.sourceIp"
      apiKeyId       = "$context.identity.apiKeyId"
      requestTime    = "$context.requestTime"
      httpMethod     = "$context.httpMethod"
      resourcePath   = "$context.resourcePath"
      status         = "$context.status"
      responseLength = "$context.responseLength"
      latencyMs      = "$context.responseLatency"
      integrationMs  = "$context.integration.latency"
      integrationErr = "$context.integration.error"
      errorMessage   = "$context.error.message"
      xrayTraceId    = "$context.xrayTraceId"
    })
  }

  depends_on = [aws_api_gateway_account.this, aws_cloudwatch_log_group.execution]
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.v1.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false # would log request/response bodies (user ids) in full
    throttling_rate_limit  = var.settings.throttle_rate
    throttling_burst_limit = var.settings.throttle_burst
    caching_enabled        = false
  }
}

resource "aws_api_gateway_method_settings" "cached" {
  for_each    = local.cache_enabled ? { for k, r in local.routes : k => r if r.cacheable } : {}
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.v1.stage_name
  method_path = "${each.value.path}/${each.value.method}"

  settings {
    metrics_enabled                            = true
    logging_level                              = "ERROR"
    throttling_rate_limit                      = var.settings.throttle_rate
    throttling_burst_limit                     = var.settings.throttle_burst
    caching_enabled                            = true
    cache_ttl_in_seconds                       = var.settings.cache_ttl_seconds
    cache_data_encrypted                       = true
    require_authorization_for_cache_control    = true
    unauthorized_cache_control_header_strategy = "FAIL_WITH_403"
  }
}

# ---- API keys and usage plan ------------------------------------------------------------------

resource "aws_api_gateway_usage_plan" "this" {
  name        = "${var.name}-standard"
  description = "Per-key throttling and daily quota"

  api_stages {
    api_id = aws_api_gateway_rest_api.this.id
    stage  = aws_api_gateway_stage.v1.stage_name
  }

  throttle_settings {
    rate_limit  = var.settings.throttle_rate
    burst_limit = var.settings.throttle_burst
  }

  quota_settings {
    limit  = var.settings.quota_per_day
    period = "DAY"
  }
}

resource "aws_api_gateway_api_key" "client" {
  for_each    = var.settings.clients
  name        = "${var.name}-${each.key}"
  description = "API key of client ${each.key}"
  enabled     = true
}

resource "aws_api_gateway_usage_plan_key" "client" {
  for_each      = var.settings.clients
  key_id        = aws_api_gateway_api_key.client[each.key].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.this.id
}
