# Whole-stack invariants, planned and "applied" against a mocked AWS provider (no account needed).
# The jars and the ASL are fixtures here; artifacts.tftest.hcl and pipeline.tftest.hcl use the
# real ones after the Maven build.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Shared fixtures (the placeholder jars and ASL as `artifacts`): tests/terraform.tfvars.
variables {
  environment = "prod"
  consumer    = { image_tag = "1.0.0" }
  monitoring  = { alarm_emails = ["oncall@example.com"] }
  api         = { fallback_static_items = ["item-1", "item-2"], auth = { callback_urls = ["https://app.example.com/callback"] } }

  # The names Java and Terraform share (common's ContractTest ties S3Layout, Exposure and the experiment's
  # defaults to the same file; api-lambda's ApiConfigContractTest the handler's default experiment).
  contract = jsondecode(file("../common/contract/recsys-contract.json"))
}

run "stack" {
  command = apply

  # No secret exists to leak: no component's environment names one.
  assert {
    condition     = !anytrue([for c, env in output.app_environment : anytrue([for k, v in env : can(regex("(?i)(token|password|passwd|secret|credential)", k)) || can(regex("://[^/@]*@", v))])])
    error_message = "No component's environment may carry a secret-looking variable (the cache's IAM users: tests/storage.tftest.hcl)."
  }

  # No statement anywhere grants Action "*" (or a whole-service wildcard, except the standard
  # key-policy delegation to the account).
  assert {
    condition = alltrue(flatten([
      for name, doc in output.iam_policy_documents : [
        for s in jsondecode(doc).Statement : !contains(flatten([try(s.Action, [])]), "*")
      ]
    ]))
    error_message = "An IAM statement has Action \"*\"."
  }

  assert {
    condition = alltrue(flatten([
      for name, doc in output.iam_policy_documents : [
        for s in jsondecode(doc).Statement : [
          for a in flatten([try(s.Action, [])]) :
          !endswith(a, ":*") || s.Effect == "Deny" || (name == "security/kms-key-policy" && a == "kms:*")
        ]
      ]
    ]))
    error_message = "An IAM statement allows a whole service (\"svc:*\")."
  }

  # Every role's grant of a KMS key names the services it is used through (kms:ViaService): a leaked role cannot
  # decrypt with the key directly.
  assert {
    condition = alltrue(flatten([for name, doc in output.iam_policy_documents : [
      for s in jsondecode(doc).Statement : length(flatten([try(s.Condition.StringEquals["kms:ViaService"], [])])) > 0
      if s.Effect == "Allow" && anytrue([for a in flatten([try(s.Action, [])]) : startswith(a, "kms:")])
    ] if name != "security/kms-key-policy"]))
    error_message = "A role's KMS grant lacks a kms:ViaService condition."
  }

  # The key policy: every AWS service it lets in acts only for this account (aws:SourceAccount, or the log groups'
  # encryption context), and Personalize may encrypt the dataset group with it (CreateGrant only exists there).
  assert {
    condition = alltrue([for st in jsondecode(output.iam_policy_documents["security/kms-key-policy"]).Statement :
      try(st.Condition.StringEquals["aws:SourceAccount"], "") == var.account_id || can(st.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"])
      if can(st.Principal.Service)]) && one([for st in jsondecode(output.iam_policy_documents["security/kms-key-policy"]).Statement :
      toset(st.Action) if try(st.Principal.Service, "") == "personalize.amazonaws.com"]) == toset([
    "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"])
    error_message = "Key policy: a service principal without aws:SourceAccount, or Personalize cannot use the key for the dataset group."
  }

  # Resource "*" only for actions that have no resource-level permissions (each one is
  # justified by a comment next to its statement), or in the key policy (where it means the key).
  assert {
    condition = alltrue(flatten([
      for name, doc in output.iam_policy_documents : [
        for s in jsondecode(doc).Statement : [
          for a in flatten([try(s.Action, [])]) : contains([
            "ecr:GetAuthorizationToken",
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
            "cloudwatch:PutMetricData",
            "personalize:ListDatasetGroups", "personalize:ListSchemas", "personalize:ListDatasets",
            "personalize:ListDatasetImportJobs", "personalize:ListSolutions", "personalize:ListSolutionVersions",
            "personalize:ListCampaigns", "personalize:ListEventTrackers", "personalize:ListFilters",
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
          ], a) || name == "security/kms-key-policy" || s.Effect == "Deny"
        ] if contains(flatten([try(s.Resource, [])]), "*")
      ]
    ]))
    error_message = "An Allow statement uses Resource \"*\" for an action that supports resource-level permissions."
  }

  # PutMetricData is the one "*" action left on workload roles: always narrowed by namespace.
  assert {
    condition = alltrue(flatten([
      for name, doc in output.iam_policy_documents : [
        for s in jsondecode(doc).Statement : can(s.Condition) if contains(flatten([try(s.Action, [])]), "cloudwatch:PutMetricData")
      ]
    ]))
    error_message = "cloudwatch:PutMetricData is granted without a namespace condition."
  }

  # Endpoints mode (the default): the interface endpoint policies must let through every call the VPC workloads'
  # roles are granted on a service with an interface endpoint (the API function, the consumer's task and execution
  # roles): each granted (action, resource) is allowed by some endpoint statement (its Action lists the action, its
  # Resource glob matches the resource). Else tightening an endpoint breaks a workload that IAM still allows.
  assert {
    condition = alltrue(flatten([for doc in ["serving/function-policy", "ingest-fleet/task-policy", "ingest-fleet/execution-policy"] : [
      for s in jsondecode(output.iam_policy_documents[doc]).Statement : [
        for a in flatten([s.Action]) : [
          for r in flatten([s.Resource]) : anytrue(flatten([for name, ep in output.iam_policy_documents : [
            for es in jsondecode(ep).Statement : contains(flatten([es.Action]), a) && anytrue([
              for g in flatten([es.Resource]) : can(regex("^${replace(replace(replace(g, "/[.+^$()\\[\\]{}|\\\\]/", "\\$0"), "*", ".*"), "?", ".")}$", r))
            ])
          ] if can(regex("^network/.*-endpoint$", name)) && !contains(["network/s3-endpoint", "network/dynamodb-endpoint"], name)]))
        ] if can(regex("^(kinesis|personalize|logs|ecr|cloudwatch|sts):", a))
      ] if s.Effect == "Allow"
    ]]))
    error_message = "A call the API function or the consumer is granted (Kinesis, Personalize, Logs, ECR, CloudWatch, STS) is not allowed by any interface endpoint policy."
  }

  # The stack key's grants to roles in the modules this stack's security work owns (serving, network, security) name
  # the services the role uses it through; key policy statements (with a Principal) are not role grants.
  assert {
    condition = alltrue(flatten([for name, doc in output.iam_policy_documents : [
      for s in jsondecode(doc).Statement : length(flatten([try(s.Condition.StringEquals["kms:ViaService"], [])])) > 0
      if !can(s.Principal) && contains(flatten([try(s.Resource, [])]), output.kms_key_arn) && anytrue([for a in flatten([try(s.Action, [])]) : can(regex("^kms:(Decrypt|GenerateDataKey)", a))])
    ] if can(regex("^(serving|network|security)/", name))]))
    error_message = "A role statement of serving, network or security grants kms:Decrypt/GenerateDataKey* on the stack key without a kms:ViaService condition."
  }

  assert {
    condition     = alltrue([for c in ["streaming", "ingest-fleet", "storage", "cache", "serving", "training"] : length(lookup(output.alarms_by_component, c, [])) > 0])
    error_message = "Every component (streaming, ingest-fleet, storage, cache, serving, training) needs at least one alarm."
  }

  assert {
    condition     = length(output.iam_policy_documents) >= 20
    error_message = "The policy inventory looks incomplete."
  }

  assert {
    condition     = output.app_environment.kcl_consumer.KCL_APPLICATION_NAME == output.tables.kcl_leases
    error_message = "The KCL application name must equal the lease table Terraform creates."
  }

  assert {
    condition = (startswith(output.app_environment.api_lambda.RECSYS_REDIS_URL, "rediss://") && output.app_environment.kcl_consumer.REDIS_URI == output.app_environment.api_lambda.RECSYS_REDIS_URL &&
      output.app_environment.api_lambda.RECSYS_REDIS_USER == output.redis_users.api.id && output.app_environment.kcl_consumer.REDIS_USER == output.redis_users.consumer.id &&
    output.app_environment.api_lambda.RECSYS_REDIS_CACHE_NAME == output.app_environment.kcl_consumer.REDIS_CACHE_NAME)
    error_message = "Both components reach the one cache over TLS (rediss://), each as its own user, with tokens signed for the same cache."
  }

  assert {
    condition = alltrue([
      for v in jsondecode(output.app_environment.api_lambda.RECSYS_VARIANTS) :
      can(regex("^arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-[a-z0-9]+$", v.campaign_arn))
    ]) && sum([for v in jsondecode(output.app_environment.api_lambda.RECSYS_VARIANTS) : v.weight]) == 100
    error_message = "The API must get real campaign ARNs per variant and weights summing to 100."
  }

  # Every route on a model: the pipeline's related-items and ranking campaigns are wired into the API by default.
  assert {
    condition = (output.app_environment.api_lambda.RECSYS_SIMILAR_CAMPAIGN_ARN == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar" &&
    output.app_environment.api_lambda.RECSYS_RANKING_CAMPAIGN_ARN == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking")
    error_message = "GET /items/{itemId}/similar and POST /rankings must be served by the pipeline's recsys-similar and recsys-ranking campaigns."
  }

  assert {
    condition = (output.app_environment.training_lambda.RELATED_ITEMS_RECIPE == "arn:aws:personalize:::recipe/aws-sims" &&
    output.app_environment.training_lambda.RANKING_RECIPE == "arn:aws:personalize:::recipe/aws-personalized-ranking-v2")
    error_message = "The pipeline must train the related-items and ranking solutions those campaigns serve."
  }

  # The API may call exactly the campaigns it is configured with (and the stack's filters), nothing else.
  assert {
    condition = toset(one([for s in jsondecode(output.iam_policy_documents["serving/function-policy"]).Statement : s.Resource if s.Sid == "Recommendations"])) == toset([
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a",
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-b",
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar",
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking",
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-trending",
      "arn:aws:personalize:eu-west-1:123456789012:filter/recsys-*",
    ])
    error_message = "The API's Personalize permissions must cover exactly the variant, similar and ranking campaigns."
  }

  # ---- the online loop, across components ----
  # One experiment: the API assigns and records under the id the pipeline decides on; the default is
  # the contract's experiment.default_id, the handler's own default too (ApiConfig), so offline and AWS agree.
  assert {
    condition = (output.app_environment.api_lambda.RECSYS_EXPERIMENT == var.contract.experiment.default_id && output.app_environment.training_lambda.EXPERIMENT_ID == var.contract.experiment.default_id &&
      var.experiment.id == null && var.contract.experiment.default_id == "recs-ab-1" &&
    output.app_environment.training_lambda.EXPERIMENT_ROUTE == var.contract.api.routes[var.contract.experiment.default_route].template)
    error_message = "The API (RECSYS_EXPERIMENT) and the pipeline (EXPERIMENT_ID) must run the same experiment, by default the contract's recs-ab-1 on its default route."
  }

  # The filters a deployment gets by default are the contract's (the offline demo deploys the same): the pipeline
  # creates them, the API applies them by name and the default one to user recommendations.
  assert {
    condition = (var.filters.definitions == null && var.filters.default_user_filter == null && jsondecode(output.app_environment.training_lambda.FILTERS) == var.contract.filters.definitions &&
      { for k, f in jsondecode(output.app_environment.api_lambda.RECSYS_FILTERS) : k => f.expression } == var.contract.filters.definitions &&
      output.app_environment.api_lambda.RECSYS_DEFAULT_USER_FILTER == var.contract.filters.default_user_filter &&
    var.contract.filters.default_user_filter == "exclude-purchased")
    error_message = "With no filters set, the pipeline and the API must get the contract's filters, and user recommendations its exclude-purchased."
  }

  # Every component is given only variables its code reads: the contract's environment.<component> (each module's
  # Java test ties its reader to it); JAVA_TOOL_OPTIONS is the JVM's.
  assert {
    condition = alltrue(flatten([for component, env in output.app_environment : [
      for k in keys(env) : contains(values(var.contract.environment[component]), k) || (component == "kcl_consumer" && k == "JAVA_TOOL_OPTIONS")
    ]]))
    error_message = "A component gets an environment variable the contract's environment.<component> does not declare."
  }

  # The pipeline starts from the split the API is deployed with.
  assert {
    condition = (output.app_environment.training_lambda.VARIANT_WEIGHTS == "a=50,b=50" &&
    output.app_environment.training_lambda.VARIANT_WEIGHTS == join(",", [for v in jsondecode(output.app_environment.api_lambda.RECSYS_VARIANTS) : "${v.name}=${v.weight}"]))
    error_message = "VARIANT_WEIGHTS must be the API's deployed weights (a=50,b=50 from ab_variants)."
  }

  assert {
    condition = (output.tables.experiments == "recsys-experiments" && output.app_environment.kcl_consumer.EXPERIMENTS_TABLE == output.tables.experiments &&
      output.app_environment.api_lambda.RECSYS_EXPERIMENTS_TABLE == output.tables.experiments && output.app_environment.training_lambda.EXPERIMENTS_TABLE == output.tables.experiments &&
      output.app_environment.kcl_consumer.EXPOSURES_TABLE == output.tables.exposures && output.tables.exposures == "recsys-exposures" &&
      output.app_environment.kcl_consumer.EXPERIMENT_USERS_TABLE == output.tables.experiment_users && output.tables.experiment_users == "recsys-experiment-users" &&
    output.app_environment.api_lambda.RECSYS_INTERACTIONS_TABLE == output.tables.interactions)
    error_message = "The consumer writes, and the API and the pipeline read, the same experiments table; the consumer gets the exposures and experiment-users tables."
  }

  # ---- the catalogs, across components ----
  # The consumer writes, and the API reads, the one users table storage creates (and the one items table).
  assert {
    condition = (output.tables.users == "recsys-${var.contract.tables.users.suffix}" && output.tables.users == "recsys-users" &&
      output.app_environment.kcl_consumer.USERS_TABLE == output.tables.users && output.app_environment.api_lambda.RECSYS_USERS_TABLE == output.tables.users &&
    output.app_environment.kcl_consumer.ITEMS_TABLE == output.tables.items && output.app_environment.api_lambda.RECSYS_ITEMS_TABLE == output.tables.items)
    error_message = "The consumer (USERS_TABLE, ITEMS_TABLE) and the API (RECSYS_USERS_TABLE, RECSYS_ITEMS_TABLE) must get the stack's users and items tables."
  }

  # The consumer forwards to the Items and Users datasets of the dataset group the pipeline creates (named by the training
  # function's NAME_PREFIX), and may call PutItems / PutUsers on exactly those two ARNs.
  assert {
    condition = (output.app_environment.kcl_consumer.PERSONALIZE_ITEMS_DATASET_ARN == "arn:aws:personalize:eu-west-1:123456789012:dataset/${output.app_environment.training_lambda.NAME_PREFIX}/ITEMS" &&
      output.app_environment.kcl_consumer.PERSONALIZE_USERS_DATASET_ARN == "arn:aws:personalize:eu-west-1:123456789012:dataset/${output.app_environment.training_lambda.NAME_PREFIX}/USERS" &&
      output.personalize_names.dataset_group == output.app_environment.training_lambda.NAME_PREFIX &&
      output.personalize_names.datasets == { items = output.app_environment.kcl_consumer.PERSONALIZE_ITEMS_DATASET_ARN, users = output.app_environment.kcl_consumer.PERSONALIZE_USERS_DATASET_ARN } &&
      toset(flatten([for s in jsondecode(output.iam_policy_documents["ingest-fleet/task-policy"]).Statement : [
        for a in flatten([s.Action]) : [for r in flatten([s.Resource]) : "${a} ${r}"] if anytrue([for a in flatten([s.Action]) : contains(["personalize:PutItems", "personalize:PutUsers"], a)])
        ]])) == toset([
        "personalize:PutItems ${output.app_environment.kcl_consumer.PERSONALIZE_ITEMS_DATASET_ARN}",
        "personalize:PutUsers ${output.app_environment.kcl_consumer.PERSONALIZE_USERS_DATASET_ARN}",
    ]))
    error_message = "The consumer must get the pipeline's Items and Users dataset ARNs (dataset/<NAME_PREFIX>/ITEMS, /USERS) and be granted PutItems and PutUsers on exactly those."
  }

  assert {
    condition     = output.app_environment.api_lambda.RECSYS_EXPOSURE_STREAM == output.stream_name && output.app_environment.kcl_consumer.KINESIS_STREAM == output.stream_name
    error_message = "The API records exposures on the stream the consumer reads."
  }

  assert {
    condition     = output.app_environment.kcl_consumer.EXPERIMENT_CONTROL_VARIANT == "" && output.app_environment.training_lambda.EXPERIMENT_POLICY == "report" && output.app_environment.training_lambda.EXPERIMENT_PROMOTE_STEP == "25"
    error_message = "Without a popularity variant the consumer picks the control itself; the pipeline only reports by default (step 25)."
  }

  # The published documents are where the Java code reads and writes them: S3Layout.POPULAR_ITEMS_KEY and
  # EXPERIMENT_CONFIG_KEY load these values from the contract (common's ContractTest checks the Java side).
  assert {
    condition = (output.app_environment.api_lambda.RECSYS_FALLBACK_KEY == var.contract.s3.popular_items_key &&
      contains(flatten([for s in jsondecode(output.iam_policy_documents["serving/function-policy"]).Statement : s.Resource if s.Sid == "PublishedDocuments"]),
      "arn:aws:s3:::recsys-data-mock/${var.contract.s3.experiment_split_key}") &&
      contains(flatten([for s in jsondecode(output.iam_policy_documents["training/training-policy"]).Statement : s.Resource if s.Sid == "ExperimentSplit"]),
    "arn:aws:s3:::recsys-data-mock/${var.contract.s3.experiment_split_key}"))
    error_message = "The fallback list and the experiment split must be granted at the contract's keys (config/popular-items.json, config/experiment.json), the ones S3Layout loads."
  }

  assert {
    condition = (alltrue([for r in ["recommendations", "users-recommendations", "items-similar", "rankings"] : contains(output.alarms_by_component.serving, "recsys-api-exposures-dropped-${r}")]) &&
    alltrue([for t in ["exposures", "experiment-users", "experiments"] : contains(output.alarms_by_component.storage, "recsys-dynamodb-write-throttles-${t}")]))
    error_message = "Dropped exposures alarm per route (serving); the online loop's tables alarm on throttling (storage)."
  }

  assert {
    condition     = output.personalize_names.campaigns == { a = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a", b = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-b", similar = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar", ranking = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking", trending = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-trending" }
    error_message = "personalize_names lists every campaign the pipeline creates."
  }
}

run "an_override_campaign_replaces_the_pipelines_and_an_empty_recipe_leaves_the_route_on_the_fallback" {
  command = apply

  variables {
    api      = { fallback_static_items = ["item-1", "item-2"], similar_items_campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/managed-elsewhere", auth = var.api.auth }
    training = { ranking_recipe_arn = "" }
  }

  assert {
    condition = (output.app_environment.api_lambda.RECSYS_SIMILAR_CAMPAIGN_ARN == "arn:aws:personalize:eu-west-1:123456789012:campaign/managed-elsewhere" &&
    !can(output.app_environment.api_lambda.RECSYS_RANKING_CAMPAIGN_ARN) && output.app_environment.training_lambda.RANKING_RECIPE == "")
    error_message = "api_similar_items_campaign_arn overrides the pipeline's campaign; without a ranking recipe POST /rankings answers from the fallback list."
  }

  assert {
    condition = toset(one([for s in jsondecode(output.iam_policy_documents["serving/function-policy"]).Statement : s.Resource if s.Sid == "Recommendations"])) == toset([
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a",
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-b",
      "arn:aws:personalize:eu-west-1:123456789012:campaign/managed-elsewhere",
      "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-trending",
      "arn:aws:personalize:eu-west-1:123456789012:filter/recsys-*",
    ])
    error_message = "The API's Personalize permissions follow the campaigns it actually uses."
  }
}

run "named_filters_replace_the_defaults" {
  command = plan

  variables {
    filters = { definitions = { by-brand = "INCLUDE ItemID WHERE Items.BRAND IN ($BRAND)" }, default_user_filter = "" }
  }

  assert {
    condition = (jsondecode(output.app_environment.training_lambda.FILTERS) == { by-brand = "INCLUDE ItemID WHERE Items.BRAND IN ($BRAND)" } &&
    !can(output.app_environment.api_lambda.RECSYS_DEFAULT_USER_FILTER))
    error_message = "Named filters replace the contract's, and default_user_filter \"\" leaves user recommendations unfiltered."
  }
}

run "a_default_user_filter_must_be_one_of_the_filters" {
  command = plan

  # default_user_filter null is the contract's exclude-purchased, which these definitions lack.
  variables {
    filters = { definitions = { by-brand = "INCLUDE ItemID WHERE Items.BRAND IN ($BRAND)" } }
  }

  expect_failures = [var.filters]
}

# examples/<env>/main.tf passes every input it does not set as null: the root's inputs are non-nullable,
# so null means the default.
run "null_inputs_take_the_defaults" {
  command = plan

  variables {
    name               = null
    region             = null
    tags               = null
    log_retention_days = null
    network            = null
    streaming          = null
    storage            = null
    ab_variants        = null
    experiment         = null
    training           = null
    filters            = null
  }

  assert {
    condition = (output.stream_name == "recsys-interactions" && output.app_environment.kcl_consumer.INTERACTION_TTL_DAYS == "90" &&
      output.app_environment.api_lambda.RECSYS_EXPERIMENT == "recs-ab-1" && output.app_environment.training_lambda.VARIANT_WEIGHTS == "a=50,b=50" &&
      output.app_environment.training_lambda.RELATED_ITEMS_RECIPE == "arn:aws:personalize:::recipe/aws-sims" &&
    output.app_environment.api_lambda.RECSYS_DEFAULT_USER_FILTER == "exclude-purchased")
    error_message = "A null input must take the root module's default (name recsys, 90-day interactions TTL, experiment recs-ab-1, a/b 50/50, aws-sims, exclude-purchased)."
  }
}

run "training_status_check_limits_reach_the_pipeline" {
  command = plan

  variables {
    training = { max_status_checks = { import = 7 } }
  }

  assert {
    condition     = output.app_environment.training_lambda.MAX_STATUS_CHECKS == "resources=60,import=7,training=96,campaign=60"
    error_message = "training.max_status_checks must reach the training function (MAX_STATUS_CHECKS); stages left out keep their defaults."
  }
}

run "a_popularity_variant_is_the_experiments_control" {
  command = plan

  variables {
    ab_variants = {
      pop = { weight = 20, recipe_arn = "arn:aws:personalize:::recipe/aws-popularity-count" }
      b   = { weight = 80, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization-v2" }
    }
  }

  assert {
    condition     = output.app_environment.kcl_consumer.EXPERIMENT_CONTROL_VARIANT == "pop" && output.app_environment.training_lambda.VARIANT_WEIGHTS == "b=80,pop=20"
    error_message = "The variant with the popularity recipe (SolutionPlan.POPULARITY_RECIPE) is the control by default."
  }
}

run "an_explicit_control_variant_wins" {
  command = plan

  variables {
    ab_variants = {
      pop = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-popularity-count" }
      b   = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization-v2" }
    }
    experiment = { control_variant = "b", policy = "promote", promote_step = 10 }
  }

  assert {
    condition = (output.app_environment.kcl_consumer.EXPERIMENT_CONTROL_VARIANT == "b" && output.app_environment.training_lambda.EXPERIMENT_POLICY == "promote" &&
    output.app_environment.training_lambda.EXPERIMENT_PROMOTE_STEP == "10")
    error_message = "experiment_control_variant, experiment_policy and experiment_promote_step reach the consumer and the pipeline."
  }
}

# Every experiment input is validated where it is set: one run per field, each setting only that field
# wrong, so each validation must fail on its own (one run with every field wrong would pass on any one of them).
run "rejects_bad_experiment_id" {
  command = plan

  variables {
    experiment = { id = "recs|ab" } # '|' separates the parts of the experiment tables' sort keys
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_policy" {
  command = plan

  variables {
    experiment = { policy = "auto" }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_route" {
  command = plan

  variables {
    experiment = { route = "/health" }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_promote_step" {
  command = plan

  variables {
    experiment = { promote_step = 0 }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_control_variant" {
  command = plan

  variables {
    experiment = { control_variant = "z" }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_attribution_window" {
  command = plan

  variables {
    experiment = { attribution_window = "30 minutes" }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_click_event_types" {
  command = plan

  variables {
    experiment = { click_event_types = [] }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_conversion_event_types" {
  command = plan

  variables {
    experiment = { conversion_event_types = ["1buy"] }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_alpha" {
  command = plan

  variables {
    experiment = { alpha = 0.9 }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_min_users" {
  command = plan

  variables {
    experiment = { min_users = 1 }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_min_exposures" {
  command = plan

  variables {
    experiment = { min_exposures = 0 }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_experiment_ttl_days" {
  command = plan

  variables {
    experiment = { ttl_days = 0 }
  }

  expect_failures = [var.experiment]
}

run "rejects_bad_api_exposure_queue_capacity" {
  command = plan

  variables {
    api = { fallback_static_items = ["item-1"], exposure_queue_capacity = 0, auth = var.api.auth }
  }

  expect_failures = [var.api]
}

run "rejects_bad_api_exposure_linger_ms" {
  command = plan

  variables {
    api = { fallback_static_items = ["item-1"], exposure_linger_ms = 5000, auth = var.api.auth }
  }

  expect_failures = [var.api]
}

run "rejects_a_related_items_recipe_that_is_not_a_recipe_arn" {
  command = plan

  variables {
    training = { related_items_recipe_arn = "sims" }
  }

  expect_failures = [var.training]
}

run "rejects_ab_variants_named_like_the_pipelines_own_solutions" {
  command = plan

  variables {
    ab_variants = {
      a        = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization-v2" }
      baseline = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-popularity-count" }
    }
  }

  expect_failures = [var.ab_variants]
}

run "rejects_more_consumers_than_shards" {
  command = plan

  variables {
    streaming = { shard_count = 2 }
    consumer  = { image_tag = "1.0.0", min_count = 1, max_count = 3 }
  }

  expect_failures = [var.consumer]
}

run "rejects_ab_weights_not_summing_to_100" {
  command = plan

  variables {
    ab_variants = {
      a = { weight = 60, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization-v2" }
      b = { weight = 30, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization" }
    }
  }

  expect_failures = [var.ab_variants]
}

run "rejects_mutable_image_tag" {
  command = plan

  variables {
    consumer = { image_tag = "latest" }
  }

  expect_failures = [var.consumer]
}

run "rejects_single_az" {
  command = plan

  variables {
    network = { az_count = 1 }
  }

  expect_failures = [var.network]
}
