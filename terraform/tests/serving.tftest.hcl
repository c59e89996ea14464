# Serving invariants: every API method needs an API key, the usage plan throttles and meters
# each key, the stage logs and traces, caching only for the GET routes, SnapStart on an alias.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                       = "recsys"
  region                     = "eu-west-1"
  account_id                 = "123456789012"
  kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  jar_path                   = "tests/fixtures/placeholder.jar"
  subnet_ids                 = ["subnet-a", "subnet-b"]
  security_group_id          = "sg-api"
  bucket                     = { name = "recsys-data", arn = "arn:aws:s3:::recsys-data" }
  user_profiles_table        = { name = "recsys-user-profiles", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-user-profiles" }
  redis_url                  = "rediss://cache.example:6379"
  redis_auth_token           = "MockedRedisAuthTokenOfSixtyFourCharactersXXXXXXXXXXXXXXXXXXXXXX"
  fallback_static_items      = ["item-1", "item-2"]
  variant_campaign_arns      = { a = { weight = 70, campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a" }, b = { weight = 30, campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-b" } }
  similar_items_campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar"
  ranking_campaign_arn       = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking"
  api_clients                = ["web", "mobile"]
  throttle_rate              = 100
  throttle_burst             = 200
  quota_per_day              = 1000000
}

run "api_without_stage_cache" {
  command = apply

  module {
    source = "./modules/serving"
  }

  assert {
    condition     = length(aws_api_gateway_method.route) == 5 && alltrue([for m in aws_api_gateway_method.route : m.api_key_required])
    error_message = "Every API method (5 routes) must require an API key."
  }

  assert {
    condition     = alltrue([for i in aws_api_gateway_integration.route : i.type == "AWS_PROXY" && i.uri == aws_lambda_alias.live.invoke_arn])
    error_message = "Every route must proxy to the live alias (SnapStart version), never $LATEST."
  }

  assert {
    condition = (one(aws_api_gateway_usage_plan.this.throttle_settings).rate_limit == 100 &&
      one(aws_api_gateway_usage_plan.this.throttle_settings).burst_limit == 200 &&
    one(aws_api_gateway_usage_plan.this.quota_settings).limit == 1000000)
    error_message = "The usage plan must throttle and meter each key."
  }

  assert {
    condition     = length(aws_api_gateway_usage_plan_key.client) == 2 && toset(keys(aws_api_gateway_api_key.client)) == toset(["web", "mobile"])
    error_message = "Each client needs its own key on the usage plan."
  }

  assert {
    condition = (aws_api_gateway_method_settings.all.settings[0].throttling_rate_limit == 100 &&
    aws_api_gateway_method_settings.all.settings[0].metrics_enabled && !aws_api_gateway_method_settings.all.settings[0].data_trace_enabled)
    error_message = "Stage-wide throttling and metrics on, body logging off."
  }

  assert {
    condition     = aws_api_gateway_stage.v1.xray_tracing_enabled && aws_api_gateway_stage.v1.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.access.arn
    error_message = "The stage must trace with X-Ray and write access logs."
  }

  assert {
    condition     = !aws_api_gateway_stage.v1.cache_cluster_enabled && length(aws_api_gateway_method_settings.cached) == 0
    error_message = "With cache_ttl_seconds = 0 there is no stage cache."
  }

  assert {
    condition = (aws_lambda_function.api.publish && aws_lambda_function.api.snap_start[0].apply_on == "PublishedVersions" &&
      aws_lambda_alias.live.function_version == aws_lambda_function.api.version && aws_lambda_function.api.runtime == "java17" &&
    aws_lambda_permission.api.qualifier == "live")
    error_message = "SnapStart on published versions, the alias on the published version, Java 17."
  }

  assert {
    condition     = aws_lambda_function.api.reserved_concurrent_executions == 100 && aws_lambda_function.api.tracing_config[0].mode == "Active"
    error_message = "Reserved concurrency and active tracing."
  }

  assert {
    condition     = toset(aws_lambda_function.api.vpc_config[0].subnet_ids) == toset(["subnet-a", "subnet-b"])
    error_message = "The function runs in the private subnets (Redis is only reachable there)."
  }

  assert {
    condition = alltrue([for g in [aws_cloudwatch_log_group.function, aws_cloudwatch_log_group.access, aws_cloudwatch_log_group.execution] :
    g.kms_key_id == var.kms_key_arn]) && aws_lambda_function.api.kms_key_arn == var.kms_key_arn && aws_s3_object.jar.kms_key_id == var.kms_key_arn
    error_message = "Logs, environment variables and the uploaded jar are KMS-encrypted."
  }

  assert {
    condition = (length(jsondecode(output.function_environment.RECSYS_VARIANTS)) == 2 && output.function_environment.RECSYS_SIMILAR_CAMPAIGN_ARN == var.similar_items_campaign_arn &&
    !can(output.function_environment.RECSYS_REDIS_AUTH_TOKEN))
    error_message = "Variants and campaigns are passed as ARNs; the AUTH token is kept out of the (unencrypted) outputs."
  }
}

run "api_with_stage_cache_caches_only_gets" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    cache_ttl_seconds = 30
  }

  assert {
    condition     = aws_api_gateway_stage.v1.cache_cluster_enabled
    error_message = "A positive TTL enables the stage cache."
  }

  assert {
    condition     = toset([for s in aws_api_gateway_method_settings.cached : s.method_path]) == toset(["users/{userId}/recommendations/GET", "items/{itemId}/similar/GET"])
    error_message = "Only the two parameterised GET routes may be cached (never POST, never /health)."
  }

  assert {
    condition = alltrue([for s in aws_api_gateway_method_settings.cached :
    s.settings[0].cache_data_encrypted && s.settings[0].require_authorization_for_cache_control && s.settings[0].cache_ttl_in_seconds == 30])
    error_message = "Cached data is encrypted and clients cannot flush the cache without authorization."
  }

  assert {
    condition = (toset(aws_api_gateway_integration.route["get_user_recs"].cache_key_parameters) == toset(["method.request.path.userId", "method.request.querystring.limit", "method.request.querystring.filter"]) &&
    length(aws_api_gateway_integration.route["post_recommendations"].cache_key_parameters) == 0)
    error_message = "Cache keys cover the whole request identity (path and query)."
  }
}

run "rejects_missing_jar" {
  command = plan

  module {
    source = "./modules/serving"
  }

  variables {
    jar_path = "tests/fixtures/does-not-exist.jar"
  }

  expect_failures = [var.jar_path]
}
