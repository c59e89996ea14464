# Serving invariants: every API method needs an API key, the usage plan throttles and meters
# each key, the stage logs and traces, caching only for the GET routes, SnapStart on an alias.

mock_provider "aws" {
  source = "./tests/mocks"

  # The mocks give every log group one ARN: the WAF group gets its own, so its log destination is told apart from
  # the access log group. (A run-level override_resource does not take precedence over the mock provider here.)
  override_resource {
    target = aws_cloudwatch_log_group.waf
    values = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-recsys-api" }
  }
}

# Shared fixtures (account, key, subnets, bucket, tables, jar, the cache and its API user): tests/terraform.tfvars.
variables {
  name   = "recsys"
  region = "eu-west-1"
  settings = {
    fallback_static_items = ["item-1", "item-2"]
    clients               = ["web", "mobile"]
    throttle_rate         = 100
    throttle_burst        = 200
    quota_per_day         = 1000000
    experiment            = { id = "recs-ab-7" }
    auth                  = { callback_urls = ["https://app.example.com/callback"], logout_urls = ["https://app.example.com/"] }
  }
  vpc = { subnet_ids = var.subnet_ids, security_group_id = "sg-api" }
  campaigns = {
    variants      = { a = { weight = 70, campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a" }, b = { weight = 30, campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-b" } }
    similar_items = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar"
    ranking       = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking"
  }
  interactions_item_index = "ItemIndex"
  interactions_time_index = "TimeIndex"
  # A key of its own here, so the test tells the stream's key from the stack's.
  exposure_stream = { name = "recsys-interactions", arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/recsys-interactions", kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222" }

  # The names the handler shares with the gateway and the function's environment (api-lambda's tests tie its Route,
  # ApiConfig and Exposure to the same file).
  contract = jsondecode(file("../common/contract/recsys-contract.json"))
}

run "api_without_stage_cache" {
  command = apply

  module {
    source = "./modules/serving"
  }

  assert {
    condition     = length(aws_api_gateway_method.route) == 8 && alltrue([for m in aws_api_gateway_method.route : m.api_key_required])
    error_message = "Every API method (8 routes) must require an API key."
  }

  # GET /experiments: a top-level resource, API key required, proxied to the same alias, nothing cached.
  assert {
    condition = (aws_api_gateway_method.route["get_experiments"].http_method == "GET" && aws_api_gateway_method.route["get_experiments"].api_key_required &&
      aws_api_gateway_method.route["get_experiments"].resource_id == aws_api_gateway_resource.top["experiments"].id &&
      aws_api_gateway_resource.top["experiments"].path_part == "experiments" && aws_api_gateway_resource.top["experiments"].parent_id == aws_api_gateway_rest_api.this.root_resource_id &&
      aws_api_gateway_method.route["get_experiments"].request_parameters == tomap({ "method.request.querystring.experiment" = false }) &&
      aws_api_gateway_integration.route["get_experiments"].type == "AWS_PROXY" && aws_api_gateway_integration.route["get_experiments"].uri == output.function.alias_invoke_arn &&
    length(aws_api_gateway_integration.route["get_experiments"].cache_key_parameters) == 0)
    error_message = "GET /experiments must exist at the root, require an API key, take an optional ?experiment= and proxy to the live alias uncached."
  }

  # The handler answers ?user_id= on the similar-items route (ApiRouter SIMILAR_ITEMS): optional, validated by the gateway as a query parameter.
  assert {
    condition = aws_api_gateway_method.route["get_similar_items"].request_parameters == tomap({ "method.request.path.itemId" = true, "method.request.querystring.limit" = false, "method.request.querystring.user_id" = false,
    "method.request.querystring.filter" = false, "method.request.querystring.filter_values" = false, "method.request.querystring.metadata_columns" = false })
    error_message = "GET /items/{itemId}/similar takes itemId and the optional limit, user_id, filter, filter_values and metadata_columns."
  }

  # The contract's api.routes (api-lambda's http/Route serves exactly these, RouteContractTest): the gateway exposes
  # exactly them, method and template, each as a method on the resource of its path.
  assert {
    condition = (toset(values(output.routes)) == toset([for r in values(var.contract.api.routes) : "${r.method} ${r.template}"]) &&
      toset([for m in aws_api_gateway_method.route : m.http_method]) == toset([for r in values(var.contract.api.routes) : r.method]) &&
    length(aws_api_gateway_method.route) == length(var.contract.api.routes))
    error_message = "The gateway's routes must be exactly the contract's api.routes (method and template), the ones api-lambda's http/Route serves."
  }

  assert {
    condition     = alltrue([for i in aws_api_gateway_integration.route : i.type == "AWS_PROXY" && i.uri == output.function.alias_invoke_arn])
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
    condition = (output.function.publish && output.function.snap_start == ["PublishedVersions"] &&
      output.function.alias_version == output.function.version && output.function.runtime == "java17" &&
    aws_lambda_permission.api.qualifier == "live" && output.function.alias_name == "live")
    error_message = "SnapStart on published versions, the alias on the published version, Java 17."
  }

  assert {
    condition     = output.function.reserved_concurrency == 100 && output.function.tracing_mode == "Active"
    error_message = "Reserved concurrency and active tracing."
  }

  assert {
    condition     = toset(output.function.subnet_ids) == toset(["subnet-a", "subnet-b"])
    error_message = "The function runs in the private subnets (Redis is only reachable there)."
  }

  assert {
    condition = alltrue([for k in [output.function.log_group_kms_key_id, aws_cloudwatch_log_group.access.kms_key_id, aws_cloudwatch_log_group.execution.kms_key_id] :
    k == var.kms_key_arn]) && output.function.kms_key_arn == var.kms_key_arn && output.function.artifact_kms_key_id == var.kms_key_arn
    error_message = "Logs, environment variables and the uploaded jar are KMS-encrypted."
  }

  # ---- the online loop ----
  assert {
    condition = (output.function_environment.RECSYS_EXPERIMENT == "recs-ab-7" && output.function_environment.RECSYS_EXPOSURE_STREAM == "recsys-interactions" &&
      output.function_environment.RECSYS_INTERACTIONS_TABLE == "recsys-interactions" && output.function_environment.RECSYS_EXPERIMENTS_TABLE == "recsys-experiments" &&
      output.function_environment.RECSYS_FALLBACK_KEY == "config/popular-items.json" && output.function_environment.RECSYS_FALLBACK_BUCKET == "recsys-data" &&
    !can(output.function_environment.RECSYS_EXPOSURE_QUEUE) && !can(output.function_environment.RECSYS_EXPOSURE_LINGER_MS))
    error_message = "The API gets the experiment id, the exposure stream, the interactions and experiments tables; queue and linger keep the handler's defaults unless set."
  }

  # Every (action, resource) pair of the function's role on the stream, the tables, the keys, the bucket and "*":
  # exactly the handler's calls. Widening a resource (to "*", a table without its index, config/*) or dropping an action fails.
  assert {
    condition = toset(flatten([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : [
      for a in flatten([s.Action]) : [for r in flatten([s.Resource]) : "${a} ${r}" if r == "*" || can(regex("^arn:aws:(dynamodb|kinesis|kms|s3):", r))]
      ]])) == toset([
      "ec2:CreateNetworkInterface *", "ec2:DescribeNetworkInterfaces *", "ec2:DeleteNetworkInterface *", "ec2:AssignPrivateIpAddresses *", "ec2:UnassignPrivateIpAddresses *",
      "xray:PutTraceSegments *", "xray:PutTelemetryRecords *",
      "s3:ListBucket arn:aws:s3:::recsys-data",
      "s3:GetObject arn:aws:s3:::recsys-data/config/popular-items.json",
      "s3:GetObject arn:aws:s3:::recsys-data/config/experiment.json",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-user-profiles",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-interactions/index/ItemIndex",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-interactions/index/TimeIndex",
      "dynamodb:BatchGetItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-items",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-users",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments",
      "dynamodb:Scan arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments",
      "kinesis:PutRecords arn:aws:kinesis:eu-west-1:123456789012:stream/recsys-interactions",
      "kms:GenerateDataKey arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222",
      "kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111",
    ])
    error_message = "The API role must grant exactly: ListBucket (conditioned) and GetObject on the two published documents, GetItem on profiles, Query on ItemIndex and TimeIndex only (not the table), BatchGetItem on items, GetItem on users (read only), Query+Scan on experiments, PutRecords on the stream, GenerateDataKey on the stream's key, Decrypt on the stack key."
  }

  # The users table: the handler reads it (IF CurrentUser conditions on fallback answers), never writes it (the consumer
  # is its only writer); the table it is told is the one it is granted.
  assert {
    condition = (output.function_environment.RECSYS_USERS_TABLE == var.users_table.name && output.function_environment.RECSYS_ITEMS_TABLE == var.items_table.name &&
      toset(flatten([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : [
        for a in flatten([s.Action]) : a if contains(flatten([s.Resource]), var.users_table.arn)
    ]])) == toset(["dynamodb:GetItem"]))
    error_message = "The API gets the users table (RECSYS_USERS_TABLE) and may only GetItem on it (DynamoUserAttributes reads one user per request)."
  }

  assert {
    condition = one([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : s.Condition if contains(flatten([s.Action]), "s3:ListBucket")]) == {
      StringEquals = { "s3:prefix" = ["config/popular-items.json", "config/experiment.json"] }
    }
    error_message = "The API may list exactly the two published documents' keys (to tell 'not published' from 'denied'), nothing else."
  }

  assert {
    condition = one([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : s.Condition if contains(flatten([s.Action]), "kms:GenerateDataKey")]) == {
      StringEquals = { "kms:ViaService" = "kinesis.eu-west-1.amazonaws.com" }
    }
    error_message = "The API may ask for data keys of the stream's key only through Kinesis."
  }

  # The API's Personalize grants: this deployment's campaigns and filters only (never arn:aws:personalize:*:*:*).
  assert {
    condition = alltrue(flatten([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : [
      for r in flatten([s.Resource]) : (
        startswith(r, "arn:aws:personalize:::recipe/") ||
        (can(regex("^arn:aws:personalize:eu-west-1:123456789012:[a-z-]+/", r)) &&
        (can(regex("^arn:aws:personalize:eu-west-1:123456789012:[a-z-]+/${var.name}($|[-/])", r)) || r == "arn:aws:personalize:eu-west-1:123456789012:event-tracker/*"))
      ) if startswith(r, "arn:aws:personalize:") || (r == "*" && !alltrue([for a in flatten([s.Action]) : can(regex("^personalize:List", a)) || !startswith(a, "personalize:")]))
    ]]))
    error_message = "Every Personalize resource the API is granted must be one of this deployment's campaigns or filters (its region, account and name prefix)."
  }

  # Powertools reads its service name itself (environment.lambda_libraries): without it every log line and metric
  # document says "service_undefined".
  assert {
    condition     = output.function_library_environment == { (var.contract.environment.lambda_libraries.powertools_service_name) = "recsys-api" }
    error_message = "The function must get Powertools' service name (the contract's environment.lambda_libraries), set to the function's name."
  }

  # The contract's environment.api_lambda is what ApiConfig.fromEnvironment reads (ApiConfigContractTest): every
  # variable the function is given is declared there, and the ones the handler needs to serve are present.
  assert {
    condition = (alltrue([for k in keys(output.function_environment) : contains(values(var.contract.environment.api_lambda), k)]) &&
      alltrue([for k in ["variants", "fallback_static_items", "experiment", "exposure_stream", "experiments_table", "metrics_namespace"] :
    contains(keys(output.function_environment), var.contract.environment.api_lambda[k])]))
    error_message = "The function gets an environment variable the contract's environment.api_lambda (what ApiConfig reads) does not declare, or misses one the handler needs."
  }

  # The exposure routes are the contract's routes marked exposure (common event/Exposure.ROUTES): the Route dimension of ExposureDropped.
  assert {
    condition     = toset(output.exposure_routes) == toset([for r in values(var.contract.api.routes) : r.template if r.exposure])
    error_message = "exposure_routes must be the contract's exposure routes, whose answers the handler records (Exposure.ROUTES)."
  }

  assert {
    condition     = length(jsondecode(output.function_environment.RECSYS_VARIANTS)) == 2 && output.function_environment.RECSYS_SIMILAR_CAMPAIGN_ARN == var.campaigns.similar_items
    error_message = "Variants and campaigns are passed as ARNs."
  }

  # No secret in the function's environment (what lambda:GetFunctionConfiguration shows): the cache is reached as the
  # API's own ElastiCache user with IAM tokens the function signs, so only its URL (no credentials), user and name.
  assert {
    condition = (!anytrue([for k, v in local.deployed_environment : can(regex("(?i)(token|password|passwd|secret|credential)", k)) || can(regex("://[^/@]*@", v))]) &&
      { for k in ["redis_url", "redis_user", "redis_cache_name"] : k => local.deployed_environment[var.contract.environment.api_lambda[k]] } ==
    { redis_url = var.redis.url, redis_user = var.redis.user.id, redis_cache_name = var.redis.cache.name })
    error_message = "The function's environment must hold no secret-looking variable (token, password, secret, credentials in a URL); the cache comes as URL, user and cache name."
  }

  assert {
    condition = one([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : s if try(s.Sid, "") == "CacheConnect"]) == {
      Sid = "CacheConnect", Effect = "Allow", Action = "elasticache:Connect", Resource = [var.redis.cache.arn, var.redis.user.arn]
    }
    error_message = "The function may connect to this cache as the API's user only (elasticache:Connect)."
  }
  # ---- caller identity (auth.tf) ----
  # Every method's authorization follows its contract route's auth: user => a Cognito token with the user or the
  # any-user scope, machine => the any-user scope only, none => no token (health probes). API keys stay required.
  assert {
    condition = alltrue([for k, m in aws_api_gateway_method.route : (
      { for r in values(var.contract.api.routes) : "${r.method} ${r.template}" => r.auth }[output.routes[k]] == "none" ?
      m.authorization == "NONE" && m.authorizer_id == null && length(coalesce(m.authorization_scopes, [])) == 0 :
      m.authorization == "COGNITO_USER_POOLS" && m.authorizer_id == aws_api_gateway_authorizer.cognito.id && toset(m.authorization_scopes) == (
        { for r in values(var.contract.api.routes) : "${r.method} ${r.template}" => r.auth }[output.routes[k]] == "user" ?
        toset(["${var.contract.api.auth.resource_server}/${var.contract.api.auth.user_scope}", "${var.contract.api.auth.resource_server}/${var.contract.api.auth.any_user_scope}"]) :
        toset(["${var.contract.api.auth.resource_server}/${var.contract.api.auth.any_user_scope}"])
      )
    )])
    error_message = "Each method's authorization must follow its contract route's auth: user => COGNITO_USER_POOLS with the user and any-user scopes, machine => the any-user scope only, none => NONE."
  }

  # The contract today: six user routes, GET /experiments for machines, /health open; read back by route key.
  assert {
    condition = (aws_api_gateway_method.route["get_health"].authorization == "NONE" && aws_api_gateway_method.route["get_experiments"].authorization_scopes == toset(["recs/any-user"]) &&
      toset(aws_api_gateway_method.route["get_user_recs"].authorization_scopes) == toset(["recs/read", "recs/any-user"]) &&
    length([for m in aws_api_gateway_method.route : m if m.authorization == "COGNITO_USER_POOLS"]) == 7)
    error_message = "Seven routes need a token (recs/read or recs/any-user; GET /experiments recs/any-user only), GET /health none."
  }

  assert {
    condition = (aws_api_gateway_authorizer.cognito.type == "COGNITO_USER_POOLS" && aws_api_gateway_authorizer.cognito.rest_api_id == aws_api_gateway_rest_api.this.id &&
      aws_api_gateway_authorizer.cognito.provider_arns == toset([aws_cognito_user_pool.this[0].arn]) &&
    aws_api_gateway_authorizer.cognito.identity_source == "method.request.header.Authorization")
    error_message = "The REST API's authorizer checks the stack's user pool's tokens from the Authorization header."
  }

  assert {
    condition = (aws_cognito_resource_server.api.identifier == var.contract.api.auth.resource_server && aws_cognito_resource_server.api.user_pool_id == aws_cognito_user_pool.this[0].id &&
    toset([for sc in aws_cognito_resource_server.api.scope : sc.scope_name]) == toset([var.contract.api.auth.user_scope, var.contract.api.auth.any_user_scope]))
    error_message = "The resource server and its two scopes are the contract's api.auth."
  }

  # Machines: client credentials only, with a secret, the any-user scope only.
  assert {
    condition = (aws_cognito_user_pool_client.machine.allowed_oauth_flows == toset(["client_credentials"]) && aws_cognito_user_pool_client.machine.generate_secret &&
      aws_cognito_user_pool_client.machine.allowed_oauth_scopes == toset(["${var.contract.api.auth.resource_server}/${var.contract.api.auth.any_user_scope}"]) &&
    aws_cognito_user_pool_client.machine.allowed_oauth_flows_user_pool_client)
    error_message = "The machine client must use client_credentials only, have a secret and be allowed the any-user scope only."
  }

  # End users: authorization code (PKCE: a public client, no secret), never the any-user scope.
  assert {
    condition = (!aws_cognito_user_pool_client.user.generate_secret && aws_cognito_user_pool_client.user.allowed_oauth_flows == toset(["code"]) &&
      aws_cognito_user_pool_client.user.allowed_oauth_scopes == toset(["openid", "${var.contract.api.auth.resource_server}/${var.contract.api.auth.user_scope}"]) &&
      !contains(aws_cognito_user_pool_client.user.allowed_oauth_scopes, "${var.contract.api.auth.resource_server}/${var.contract.api.auth.any_user_scope}") &&
    aws_cognito_user_pool_client.user.callback_urls == toset(["https://app.example.com/callback"]) && aws_cognito_user_pool_client.user.logout_urls == toset(["https://app.example.com/"]))
    error_message = "The end-user client must be a public code-flow client (no secret) allowed openid and the user scope only, with the configured callback and logout URLs."
  }

  assert {
    condition = (aws_cognito_user_pool.this[0].deletion_protection == "ACTIVE" && aws_cognito_user_pool.this[0].mfa_configuration == "OPTIONAL" &&
      aws_cognito_user_pool.this[0].user_pool_add_ons[0].advanced_security_mode == "ENFORCED" && aws_cognito_user_pool.this[0].user_pool_tier == "PLUS" &&
    aws_cognito_user_pool.this[0].password_policy[0].minimum_length >= 12)
    error_message = "By default the pool is deletion-protected, offers MFA, enforces threat protection (Plus tier) and requires 12-character passwords."
  }

  # The handler compares the access token's username claim with the {userId} asked for: usernames are the
  # application's user ids (with username_attributes = ["email"] the claim would be a generated UUID).
  assert {
    condition     = try(length(aws_cognito_user_pool.this[0].username_attributes), 0) == 0 && contains(aws_cognito_user_pool.this[0].alias_attributes, "email")
    error_message = "Usernames must be the application's user ids (email only as a sign-in alias), so the token's username claim names the user the API answers for."
  }

  # The handler verifies nothing itself; it is told the gateway checked a JWT and which claim names the user.
  assert {
    condition = (try(output.function_environment[var.contract.environment.api_lambda.auth_mode], "") == "jwt" &&
    try(output.function_environment[var.contract.environment.api_lambda.auth_user_claim], "") == "username")
    error_message = "The function must get RECSYS_AUTH_MODE=jwt and RECSYS_AUTH_USER_CLAIM (default username)."
  }

  # Ids and the issuer, never the machine client's secret (no hosted domain here: no token endpoint).
  assert {
    condition = (output.auth.issuer_url == "https://cognito-idp.eu-west-1.amazonaws.com/${aws_cognito_user_pool.this[0].id}" && output.auth.user_pool_arn == aws_cognito_user_pool.this[0].arn &&
      output.auth.machine_client_id == aws_cognito_user_pool_client.machine.id && output.auth.user_client_id == aws_cognito_user_pool_client.user.id && output.auth.token_endpoint == null &&
    !anytrue([for k in keys(output.auth) : strcontains(lower(k), "secret")]) && !strcontains(jsonencode(output.auth), nonsensitive(aws_cognito_user_pool_client.machine.client_secret)))
    error_message = "The auth output gives the pool, the issuer and the client ids, never the machine client's secret."
  }
}

run "api_with_stage_cache_caches_only_gets" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { cache_ttl_seconds = 30 })
  }

  assert {
    condition     = aws_api_gateway_stage.v1.cache_cluster_enabled
    error_message = "A positive TTL enables the stage cache."
  }

  assert {
    condition     = toset([for s in aws_api_gateway_method_settings.cached : s.method_path]) == toset(["users/{userId}/recommendations/GET", "items/{itemId}/similar/GET", "trending/GET", "popular/GET"])
    error_message = "Only the recommendation GET routes may be cached (never POST, never /health or /experiments)."
  }

  assert {
    condition = alltrue([for s in aws_api_gateway_method_settings.cached :
    s.settings[0].cache_data_encrypted && s.settings[0].require_authorization_for_cache_control && s.settings[0].cache_ttl_in_seconds == 30])
    error_message = "Cached data is encrypted and clients cannot flush the cache without authorization."
  }

  assert {
    condition = (toset(aws_api_gateway_integration.route["get_user_recs"].cache_key_parameters) == toset(["method.request.path.userId", "method.request.querystring.limit", "method.request.querystring.filter", "method.request.querystring.filter_values", "method.request.querystring.metadata_columns", "method.request.header.Authorization"]) &&
    length(aws_api_gateway_integration.route["post_recommendations"].cache_key_parameters) == 0)
    error_message = "Cache keys cover the whole request identity (path and query)."
  }

  # The similar items may depend on the user now: a cached answer for one user must never be served to another.
  assert {
    condition     = toset(aws_api_gateway_integration.route["get_similar_items"].cache_key_parameters) == toset(["method.request.path.itemId", "method.request.querystring.limit", "method.request.querystring.user_id", "method.request.querystring.filter", "method.request.querystring.filter_values", "method.request.querystring.metadata_columns", "method.request.header.Authorization"])
    error_message = "The similar-items cache key includes user_id."
  }

  assert {
    condition     = length(aws_api_gateway_integration.route["get_experiments"].cache_key_parameters) == 0
    error_message = "GET /experiments is never cached (its results change every minute)."
  }

  # A cached answer skips the handler's "only your own user" check: every cached route's key includes the token.
  assert {
    condition = alltrue([for k, i in aws_api_gateway_integration.route : contains(i.cache_key_parameters, "method.request.header.Authorization") &&
    try(aws_api_gateway_method.route[k].request_parameters["method.request.header.Authorization"], false) if length(i.cache_key_parameters) > 0])
    error_message = "A cached route must key its cache on the caller's token (Authorization), or one user's answer is served to another."
  }
}

# Bring your own pool: no pool is created, the resource server, clients and authorizer use the given one; with a
# hosted domain the token endpoint is an output; the user claim is configurable.
run "existing_user_pool_and_domain" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { auth = { callback_urls = ["http://localhost:3000/cb"], user_pool_arn = "arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Shared123", domain_prefix = "recsys-login", user_claim = "sub" } })
  }

  assert {
    condition = (length(aws_cognito_user_pool.this) == 0 && aws_api_gateway_authorizer.cognito.provider_arns == toset(["arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Shared123"]) &&
      aws_cognito_resource_server.api.user_pool_id == "eu-central-1_Shared123" && aws_cognito_user_pool_client.user.user_pool_id == "eu-central-1_Shared123" &&
    aws_cognito_user_pool_client.machine.user_pool_id == "eu-central-1_Shared123" && aws_cognito_user_pool_domain.this[0].user_pool_id == "eu-central-1_Shared123")
    error_message = "With user_pool_arn set no pool is created and everything is attached to the given pool."
  }

  assert {
    condition = (output.auth.issuer_url == "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Shared123" &&
    output.auth.token_endpoint == "https://recsys-login.auth.eu-central-1.amazoncognito.com/oauth2/token" && output.function_environment.RECSYS_AUTH_USER_CLAIM == "sub")
    error_message = "The issuer and the token endpoint are the given pool's (its region); the user claim reaches the handler."
  }
}

run "rejects_auth_without_callback_or_with_plain_http" {
  command = plan

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { auth = { callback_urls = ["http://app.example.com/cb"] } })
  }

  expect_failures = [var.settings]
}

run "exposure_queue_and_linger_reach_the_handler" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { exposure_queue_capacity = 5000, exposure_linger_ms = 20 })
  }

  assert {
    condition     = output.function_environment.RECSYS_EXPOSURE_QUEUE == "5000" && output.function_environment.RECSYS_EXPOSURE_LINGER_MS == "20"
    error_message = "exposure_queue_capacity and exposure_linger_ms become RECSYS_EXPOSURE_QUEUE and RECSYS_EXPOSURE_LINGER_MS."
  }
}

run "rejects_an_experiment_id_that_is_not_an_id" {
  command = plan

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { experiment = { id = "recs|ab" } }) # '|' separates the parts of the experiment tables' sort keys
  }

  expect_failures = [var.settings]
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

# The contract link: with a renamed contract every key the function is told and granted follows it.
run "names_come_from_the_contract" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    contract_file = var.renamed_contract_file
    contract      = jsondecode(file("tests/fixtures/renamed-contract.json"))
  }

  assert {
    condition = (output.function_environment.X_RECSYS_FALLBACK_KEY == var.contract.s3.popular_items_key && var.contract.s3.popular_items_key == "x-config/popular-items.json" &&
      toset(flatten([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : s.Resource if s.Sid == "PublishedDocuments"])) ==
      toset(["arn:aws:s3:::recsys-data/${var.contract.s3.popular_items_key}", "arn:aws:s3:::recsys-data/${var.contract.s3.experiment_split_key}"]) &&
      one([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : s.Condition if s.Sid == "FindPublishedDocuments"]) ==
    { StringEquals = { "s3:prefix" = [var.contract.s3.popular_items_key, var.contract.s3.experiment_split_key] } })
    error_message = "The fallback key, the published documents' grants and the ListBucket condition must come from the contract's popular_items_key and experiment_split_key."
  }

  assert {
    condition     = output.function.artifact_key == "${var.contract.s3.artifacts_prefix}api-lambda/placeholder.jar"
    error_message = "The jar is uploaded under the contract's artifacts_prefix."
  }

  assert {
    condition     = output.function_environment.X_RECSYS_METRICS_NAMESPACE == "recsys/x-api" && output.metrics_namespace == "recsys/x-api"
    error_message = "The handler's metric namespace is <name>/<the contract's api_namespace_suffix>."
  }

  # Every variable the function is told is named by the contract's environment.api_lambda.
  assert {
    condition = (output.function_environment[var.contract.environment.api_lambda.experiment] == "recs-ab-7" && var.contract.environment.api_lambda.experiment == "X_RECSYS_EXPERIMENT" &&
      alltrue([for k in keys(output.function_environment) : contains(values(var.contract.environment.api_lambda), k)]) &&
      output.function_environment.X_RECSYS_REDIS_USER == var.redis.user.id && lookup(output.function_environment, "X_RECSYS_USERS_TABLE", null) == var.users_table.name &&
    length(output.function_environment) == 20)
    error_message = "The function's environment variables must be named by the contract's environment.api_lambda."
  }

  # The gateway is built from the contract's templates: resources, path parameters, cache settings and exposure routes follow them.
  assert {
    condition = (toset(values(output.routes)) == toset([for r in values(var.contract.api.routes) : "${r.method} ${r.template}"]) && output.routes.get_user_recs == "GET /x-users/{xUserId}/recommendations" &&
      aws_api_gateway_method.route["get_user_recs"].request_parameters == tomap({ "method.request.path.xUserId" = true, "method.request.querystring.limit" = false, "method.request.querystring.filter" = false, "method.request.querystring.filter_values" = false, "method.request.querystring.metadata_columns" = false }) &&
      aws_api_gateway_resource.third_level["x-users/{xUserId}/recommendations"].parent_id == aws_api_gateway_resource.second_level["x-users/{xUserId}"].id &&
    toset(output.exposure_routes) == toset(["/x-recommendations", "/x-users/{xUserId}/recommendations", "/x-items/{xItemId}/similar", "/x-rankings"]))
    error_message = "The gateway's resources, methods, path parameters and exposure routes must follow the contract's api.routes templates."
  }

  # The resource server, the scopes every method and client names and the auth variables follow the contract's api.auth.
  assert {
    condition = (aws_cognito_resource_server.api.identifier == "x-recs" && toset([for sc in aws_cognito_resource_server.api.scope : sc.scope_name]) == toset(["x-read", "x-any-user"]) &&
      toset(aws_api_gateway_method.route["get_user_recs"].authorization_scopes) == toset(["x-recs/x-read", "x-recs/x-any-user"]) &&
      aws_api_gateway_method.route["get_experiments"].authorization_scopes == toset(["x-recs/x-any-user"]) && aws_api_gateway_method.route["get_health"].authorization == "NONE" &&
      aws_cognito_user_pool_client.machine.allowed_oauth_scopes == toset(["x-recs/x-any-user"]) && aws_cognito_user_pool_client.user.allowed_oauth_scopes == toset(["openid", "x-recs/x-read"]) &&
    output.function_environment.X_RECSYS_AUTH_MODE == "jwt" && output.function_environment.X_RECSYS_AUTH_USER_CLAIM == "x_username")
    error_message = "The resource server, the methods' and clients' scopes, the default user claim and the auth variables must come from the contract's api.auth and environment.api_lambda."
  }
}

# ---- browser access: CORS preflight (api.tf) ----
# A browser sends OPTIONS without token or API key before every call that carries them: each resource of a user or
# machine route answers it through the same proxy integration (the handler sets CORS headers for the configured
# origins only, ApiRouter and http/Cors); no other method of the API loses its token or key.
run "cors_preflight_on_every_browser_route" {
  command = apply

  module {
    source = "./modules/serving"
  }

  assert {
    condition = (toset([for m in aws_api_gateway_method.preflight : m.resource_id]) == toset([
      for k, m in aws_api_gateway_method.route : m.resource_id if contains(["user", "machine"], { for r in values(var.contract.api.routes) : "${r.method} ${r.template}" => r.auth }[output.routes[k]])
      ]) && alltrue([for m in aws_api_gateway_method.preflight : m.http_method == "OPTIONS"]) &&
    length(aws_api_gateway_method.preflight) == length([for r in values(var.contract.api.routes) : r if r.auth != "none"]))
    error_message = "Every resource of a user or machine route (the contract's api.routes) needs exactly one OPTIONS method, and no other resource one."
  }

  assert {
    condition     = alltrue([for m in aws_api_gateway_method.preflight : m.authorization == "NONE" && m.authorizer_id == null && !m.api_key_required])
    error_message = "A CORS preflight carries no token and no API key: its OPTIONS method must need neither (authorization NONE, api_key_required false)."
  }

  assert {
    condition = alltrue([for k, i in aws_api_gateway_integration.preflight : i.type == "AWS_PROXY" && i.uri == output.function.alias_invoke_arn && i.integration_http_method == "POST" &&
    i.http_method == "OPTIONS" && i.resource_id == aws_api_gateway_method.preflight[k].resource_id]) && length(aws_api_gateway_integration.preflight) == length(aws_api_gateway_method.preflight)
    error_message = "Every OPTIONS method must proxy to the live alias (the handler answers the preflight for the configured origins)."
  }

  # The function's resource policy (a glob over execute-api ARNs) must let the stage invoke OPTIONS on every preflight
  # path and each route's own method.
  assert {
    condition = alltrue([for arn in concat(
      [for p in keys(aws_api_gateway_method.preflight) : "${aws_api_gateway_rest_api.this.execution_arn}/${aws_api_gateway_stage.v1.stage_name}/OPTIONS/${p}"],
      [for r in values(var.contract.api.routes) : "${aws_api_gateway_rest_api.this.execution_arn}/${aws_api_gateway_stage.v1.stage_name}/${r.method}${r.template}"],
      ) : can(regex("^${replace(replace(replace(aws_lambda_permission.api.source_arn, "/[.+^$()\\[\\]{}|\\\\]/", "\\$0"), "*", ".*"), "?", ".")}$", arn))
    ]) && aws_lambda_permission.api.principal == "apigateway.amazonaws.com" && aws_lambda_permission.api.qualifier == "live"
    error_message = "The Lambda permission must allow API Gateway to invoke the live alias for OPTIONS on every preflight path (and every route's method)."
  }

  # A new or changed OPTIONS method only reaches the stage through a new deployment.
  assert {
    condition = (aws_api_gateway_deployment.this.triggers.redeployment == sha1(jsonencode(local.redeployment_inputs)) &&
      alltrue([for m in aws_api_gateway_method.preflight : strcontains(jsonencode(local.redeployment_inputs), m.id)]) &&
    alltrue([for i in aws_api_gateway_integration.preflight : strcontains(jsonencode(local.redeployment_inputs), i.id)]))
    error_message = "The deployment's redeployment trigger must cover the OPTIONS methods and their integrations."
  }
}

# ---- browser access: the gateway's own errors (api.tf gateway responses) ----
run "one_cors_origin_reaches_the_handler_and_the_gateways_errors" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { cors_origins = ["https://app.example.com"] })
  }

  assert {
    condition     = output.function_environment[var.contract.environment.api_lambda.cors_origins] == "https://app.example.com"
    error_message = "settings.cors_origins must reach the handler (RECSYS_CORS_ORIGINS)."
  }

  assert {
    condition = (toset(keys(aws_api_gateway_gateway_response.cors)) == toset(["DEFAULT_4XX", "DEFAULT_5XX"]) &&
    alltrue([for r in aws_api_gateway_gateway_response.cors : length(r.response_parameters) == 1 && r.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"] == "'https://app.example.com'"]))
    error_message = "With one allowed origin, the gateway's own 4xx and 5xx must carry it (a page reads a 401 or 429 instead of a network failure)."
  }

  assert {
    condition     = alltrue([for r in aws_api_gateway_gateway_response.cors : strcontains(jsonencode(local.redeployment_inputs), r.response_type)])
    error_message = "Gateway responses reach the stage only through a new deployment: they must be in the redeployment trigger."
  }
}

run "several_cors_origins_reach_the_handler_but_no_gateway_response_can_name_them" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { cors_origins = ["https://app.example.com", "http://localhost:3000"] })
  }

  assert {
    condition     = output.function_environment.RECSYS_CORS_ORIGINS == "https://app.example.com,http://localhost:3000" && length(aws_api_gateway_gateway_response.cors) == 0
    error_message = "Several origins: the handler gets them all; no gateway response (one static value would admit an origin for the others)."
  }
}

run "no_cors_origin_no_browser_access" {
  command = plan

  module {
    source = "./modules/serving"
  }

  assert {
    condition     = !contains(keys(output.function_environment), var.contract.environment.api_lambda.cors_origins) && length(aws_api_gateway_gateway_response.cors) == 0
    error_message = "By default no origin is allowed: no RECSYS_CORS_ORIGINS, no gateway response with CORS headers."
  }
}

run "rejects_a_cors_origin_with_a_path" {
  command = plan

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { cors_origins = ["https://app.example.com/"] })
  }

  expect_failures = [var.settings]
}

# ---- WAF (waf.tf) ----
run "waf_in_front_of_the_stage" {
  command = apply

  module {
    source = "./modules/serving"
  }

  assert {
    condition = (aws_wafv2_web_acl.api.scope == "REGIONAL" && aws_wafv2_web_acl_association.api.resource_arn == aws_api_gateway_stage.v1.arn &&
    aws_wafv2_web_acl_association.api.web_acl_arn == aws_wafv2_web_acl.api.arn && length(aws_wafv2_web_acl.api.default_action[0].allow) == 1)
    error_message = "A regional web ACL must be associated with the API stage."
  }

  # Both AWS groups apply their own actions (override none): a group overridden to count protects nothing.
  assert {
    condition = toset([for r in aws_wafv2_web_acl.api.rule : "${r.statement[0].managed_rule_group_statement[0].vendor_name}/${r.statement[0].managed_rule_group_statement[0].name}"
      if length(r.statement[0].managed_rule_group_statement) == 1 && length(try(r.override_action[0].none, [])) == 1 && length(try(r.override_action[0].count, [])) == 0
    ]) == toset(["AWS/AWSManagedRulesCommonRuleSet", "AWS/AWSManagedRulesKnownBadInputsRuleSet"])
    error_message = "The web ACL must apply AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet, each with override_action none."
  }

  assert {
    condition = length([for r in aws_wafv2_web_acl.api.rule : r if try(r.statement[0].rate_based_statement[0].aggregate_key_type, "") == "IP" &&
    try(r.statement[0].rate_based_statement[0].limit, 0) == 2000 && length(try(r.action[0].block, [])) == 1]) == 1
    error_message = "A rate-based rule must block each client IP above settings.waf_rate_limit (default 2000 per 5 minutes)."
  }

  assert {
    condition = (aws_wafv2_web_acl.api.visibility_config[0].cloudwatch_metrics_enabled && alltrue([for r in aws_wafv2_web_acl.api.rule :
    r.visibility_config[0].cloudwatch_metrics_enabled && r.visibility_config[0].sampled_requests_enabled]))
    error_message = "The web ACL and each rule publish CloudWatch metrics and sampled requests."
  }

  assert {
    condition = (aws_wafv2_web_acl_logging_configuration.api.resource_arn == aws_wafv2_web_acl.api.arn &&
      aws_wafv2_web_acl_logging_configuration.api.log_destination_configs == toset([aws_cloudwatch_log_group.waf.arn]) &&
      startswith(aws_cloudwatch_log_group.waf.name, "aws-waf-logs-") && aws_cloudwatch_log_group.waf.kms_key_id == var.kms_key_arn &&
    aws_cloudwatch_log_group.waf.retention_in_days == 30)
    error_message = "WAF must log to its own aws-waf-logs-* log group, encrypted with the stack key, with the stack's retention."
  }

  assert {
    condition = length(setsubtract(["authorization", "x-api-key"], [for f in aws_wafv2_web_acl_logging_configuration.api.redacted_fields :
    lower(f.single_header[0].name) if length(f.single_header) == 1])) == 0
    error_message = "The WAF logs must redact the Authorization and x-api-key headers."
  }

  # Whatever the filter drops, a blocked request is always logged.
  assert {
    condition = (aws_wafv2_web_acl_logging_configuration.api.logging_filter[0].default_behavior == "KEEP" || anytrue([for f in aws_wafv2_web_acl_logging_configuration.api.logging_filter[0].filter :
    f.behavior == "KEEP" && f.requirement == "MEETS_ANY" && anytrue([for c in f.condition : try(c.action_condition[0].action, "") == "BLOCK"])]))
    error_message = "The WAF logs must keep every blocked request."
  }
}

run "waf_rate_limit_follows_the_setting" {
  command = apply

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { waf_rate_limit = 500 })
  }

  assert {
    condition     = one([for r in aws_wafv2_web_acl.api.rule : r.statement[0].rate_based_statement[0].limit if length(r.statement[0].rate_based_statement) == 1]) == 500
    error_message = "settings.waf_rate_limit is the per-IP limit of the rate-based rule."
  }
}

run "rejects_a_waf_rate_limit_below_wafs_minimum" {
  command = plan

  module {
    source = "./modules/serving"
  }

  variables {
    settings = merge(var.settings, { waf_rate_limit = 5 })
  }

  expect_failures = [var.settings]
}

# ---- least privilege on the stack key ----
# Every grant on a KMS key names the services the function uses it through (kms:ViaService): the stack key through
# Lambda (environment, SnapStart), S3 (published documents) and DynamoDB (tables); the stream's key through Kinesis.
run "kms_grants_only_through_the_services_that_use_them" {
  command = apply

  module {
    source = "./modules/serving"
  }

  assert {
    condition = alltrue([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement :
      length(flatten([try(s.Condition.StringEquals["kms:ViaService"], [])])) > 0
    if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])])
    error_message = "Every KMS statement of the API role must carry a kms:ViaService condition."
  }

  assert {
    condition = toset(flatten([for s in jsondecode(output.policy_documents["serving/function-policy"]).Statement : flatten([try(s.Condition.StringEquals["kms:ViaService"], [])])
    if contains(flatten([s.Resource]), var.kms_key_arn)])) == toset(["lambda.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"])
    error_message = "The API role may use the stack key only through Lambda, S3 and DynamoDB of its region."
  }
}
