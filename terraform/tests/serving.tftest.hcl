# Serving invariants: every API method needs an API key, the usage plan throttles and meters
# each key, the stage logs and traces, caching only for the GET routes, SnapStart on an alias.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Shared fixtures (account, key, subnets, bucket, tables, jar, Redis token): tests/terraform.tfvars.
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
  }
  vpc       = { subnet_ids = var.subnet_ids, security_group_id = "sg-api" }
  redis_url = "rediss://cache.example:6379"
  campaigns = {
    variants      = { a = { weight = 70, campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a" }, b = { weight = 30, campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-b" } }
    similar_items = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar"
    ranking       = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking"
  }
  interactions_item_index = "ItemIndex"
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
    condition     = length(aws_api_gateway_method.route) == 6 && alltrue([for m in aws_api_gateway_method.route : m.api_key_required])
    error_message = "Every API method (6 routes) must require an API key."
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
    condition     = aws_api_gateway_method.route["get_similar_items"].request_parameters == tomap({ "method.request.path.itemId" = true, "method.request.querystring.limit" = false, "method.request.querystring.user_id" = false })
    error_message = "GET /items/{itemId}/similar takes itemId and the optional limit and user_id."
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
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments",
      "dynamodb:Scan arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments",
      "kinesis:PutRecords arn:aws:kinesis:eu-west-1:123456789012:stream/recsys-interactions",
      "kms:GenerateDataKey arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222",
      "kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111",
    ])
    error_message = "The API role must grant exactly: ListBucket (conditioned) and GetObject on the two published documents, GetItem on profiles, Query on ItemIndex only, Query+Scan on experiments, PutRecords on the stream, GenerateDataKey on the stream's key, Decrypt on the stack key."
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
    condition = (length(jsondecode(output.function_environment.RECSYS_VARIANTS)) == 2 && output.function_environment.RECSYS_SIMILAR_CAMPAIGN_ARN == var.campaigns.similar_items &&
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
    settings = merge(var.settings, { cache_ttl_seconds = 30 })
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

  # The similar items may depend on the user now: a cached answer for one user must never be served to another.
  assert {
    condition     = toset(aws_api_gateway_integration.route["get_similar_items"].cache_key_parameters) == toset(["method.request.path.itemId", "method.request.querystring.limit", "method.request.querystring.user_id"])
    error_message = "The similar-items cache key includes user_id."
  }

  assert {
    condition     = length(aws_api_gateway_integration.route["get_experiments"].cache_key_parameters) == 0
    error_message = "GET /experiments is never cached (its results change every minute)."
  }
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
    length(output.function_environment) == 13)
    error_message = "The function's environment variables must be named by the contract's environment.api_lambda."
  }

  # The gateway is built from the contract's templates: resources, path parameters, cache settings and exposure routes follow them.
  assert {
    condition = (toset(values(output.routes)) == toset([for r in values(var.contract.api.routes) : "${r.method} ${r.template}"]) && output.routes.get_user_recs == "GET /x-users/{xUserId}/recommendations" &&
      aws_api_gateway_method.route["get_user_recs"].request_parameters == tomap({ "method.request.path.xUserId" = true, "method.request.querystring.limit" = false, "method.request.querystring.filter" = false }) &&
      aws_api_gateway_resource.third_level["x-users/{xUserId}/recommendations"].parent_id == aws_api_gateway_resource.second_level["x-users/{xUserId}"].id &&
    toset(output.exposure_routes) == toset(["/x-recommendations", "/x-users/{xUserId}/recommendations", "/x-items/{xItemId}/similar", "/x-rankings"]))
    error_message = "The gateway's resources, methods, path parameters and exposure routes must follow the contract's api.routes templates."
  }
}
