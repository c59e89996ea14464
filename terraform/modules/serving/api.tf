# REST API in front of the function. Every method requires an API key; the usage plan throttles
# and meters each key. Only the two GET routes that are pure functions of their path and query
# may be served from the stage cache (and only when cache_ttl_seconds > 0); GET /experiments is not.

locals {
  cache_enabled = var.settings.cache_ttl_seconds > 0

  # route key => method, resource, path/query parameters, whether the stage may cache it and whether its
  # answers are recorded as exposures (api-lambda http/Route; common/…/event/Exposure.ROUTES).
  # /experiments reads results that change every minute: never cached.
  routes = {
    post_recommendations = { method = "POST", resource = "recommendations", path_params = [], query = [], cacheable = false, exposure = true }
    get_user_recs        = { method = "GET", resource = "user_recommendations", path_params = ["userId"], query = ["limit", "filter"], cacheable = true, exposure = true }
    get_similar_items    = { method = "GET", resource = "item_similar", path_params = ["itemId"], query = ["limit", "user_id"], cacheable = true, exposure = true }
    post_rankings        = { method = "POST", resource = "rankings", path_params = [], query = [], cacheable = false, exposure = true }
    get_experiments      = { method = "GET", resource = "experiments", path_params = [], query = ["experiment"], cacheable = false, exposure = false }
    get_health           = { method = "GET", resource = "health", path_params = [], query = [], cacheable = false, exposure = false }
  }

  top_level = ["recommendations", "rankings", "experiments", "health"]

  resource_ids = merge(
    { for r in local.top_level : r => aws_api_gateway_resource.top[r].id },
    {
      user_recommendations = aws_api_gateway_resource.user_recommendations.id
      item_similar         = aws_api_gateway_resource.item_similar.id
    },
  )

  resource_paths = merge(
    { for r in local.top_level : r => r },
    {
      user_recommendations = "users/{userId}/recommendations"
      item_similar         = "items/{itemId}/similar"
    },
  )

  # The Route dimension of the handler's metrics (Route.template()), for the routes that record exposures.
  exposure_routes = sort([for k, r in local.routes : "/${local.resource_paths[r.resource]}" if r.exposure])

  method_params = {
    for k, r in local.routes : k => merge(
      { for p in r.path_params : "method.request.path.${p}" => true },
      { for q in r.query : "method.request.querystring.${q}" => false },
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
}

resource "aws_api_gateway_resource" "top" {
  for_each    = toset(concat(local.top_level, ["users", "items"]))
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_resource" "user_id" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.top["users"].id
  path_part   = "{userId}"
}

resource "aws_api_gateway_resource" "user_recommendations" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.user_id.id
  path_part   = "recommendations"
}

resource "aws_api_gateway_resource" "item_id" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.top["items"].id
  path_part   = "{itemId}"
}

resource "aws_api_gateway_resource" "item_similar" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.item_id.id
  path_part   = "similar"
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
  resource_id          = local.resource_ids[each.value.resource]
  http_method          = each.value.method
  authorization        = "NONE"
  api_key_required     = true
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

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  qualifier     = module.function.alias_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*/*"
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(jsonencode([
      local.routes,
      local.method_params,
      [for m in aws_api_gateway_method.route : m.id],
      [for i in aws_api_gateway_integration.route : [i.id, i.uri]],
    ]))
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
  method_path = "${local.resource_paths[each.value.resource]}/${each.value.method}"

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
