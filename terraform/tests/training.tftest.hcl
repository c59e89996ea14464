# Training tier with the fixture ASL: the template renders to JSON naming the real function,
# job and topic; the Step Functions role reaches only those; everything encrypted.

mock_provider "aws" {
  source = "./tests/mocks"
}

# Shared fixtures (account, key, bucket, jars, ASL fixture, topic, variants 70/30, experiments table): tests/terraform.tfvars.
variables {
  name   = "recsys"
  region = "eu-west-1"
  settings = {
    variants        = var.variants
    variant_weights = var.variant_weights
    experiment      = { id = "recs-ab-7" }
  }

  # The variables the function reads, as the contract declares them (training-lambda's
  # TrainingEnvironmentContractTest ties TrainingConfig and ExperimentConfig to the same file).
  contract = jsondecode(file("../common/contract/recsys-contract.json"))
}

run "training" {
  command = apply

  module {
    source = "./modules/training"
  }

  # Personalize is granted on this deployment's names only: its region and account, a concrete resource type and a
  # name starting with the stack's prefix (event trackers carry a generated id: event-tracker/* of this account and
  # region), AWS's recipes, and "*" only for the List* calls that have no resource level. arn:aws:personalize:*:*:*
  # or a type wildcard fails.
  assert {
    condition = alltrue(flatten([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement : [
      for r in flatten([s.Resource]) : (
        startswith(r, "arn:aws:personalize:::recipe/") ||
        (can(regex("^arn:aws:personalize:eu-west-1:123456789012:[a-z-]+/", r)) &&
        (can(regex("^arn:aws:personalize:eu-west-1:123456789012:[a-z-]+/${var.name}($|[-/])", r)) || r == "arn:aws:personalize:eu-west-1:123456789012:event-tracker/*"))
      ) if startswith(r, "arn:aws:personalize:") || (r == "*" && !alltrue([for a in flatten([s.Action]) : can(regex("^personalize:List", a)) || !startswith(a, "personalize:")]))
      ]])) && alltrue(flatten([for s in jsondecode(output.policy_documents["training/personalize-policy"]).Statement : [
      for r in flatten([s.Resource]) : (
        startswith(r, "arn:aws:personalize:::recipe/") ||
        (can(regex("^arn:aws:personalize:eu-west-1:123456789012:[a-z-]+/", r)) &&
        (can(regex("^arn:aws:personalize:eu-west-1:123456789012:[a-z-]+/${var.name}($|[-/])", r)) || r == "arn:aws:personalize:eu-west-1:123456789012:event-tracker/*"))
      ) if startswith(r, "arn:aws:personalize:") || (r == "*" && !alltrue([for a in flatten([s.Action]) : can(regex("^personalize:List", a)) || !startswith(a, "personalize:")]))
    ]]))
    error_message = "Every Personalize resource the training function or Personalize's role is granted must be scoped to this deployment's region, account and name prefix."
  }

  assert {
    condition     = can(jsondecode(aws_sfn_state_machine.training.definition)) && !strcontains(aws_sfn_state_machine.training.definition, "$${")
    error_message = "The ASL renders to JSON with every placeholder filled."
  }

  assert {
    condition = (jsondecode(aws_sfn_state_machine.training.definition).States.PrepareData.Parameters.JobName == aws_glue_job.prepare.name &&
      jsondecode(aws_sfn_state_machine.training.definition).States.Train.Parameters.FunctionName == output.training_function_arn &&
    jsondecode(aws_sfn_state_machine.training.definition).States.NotifyFailure.Parameters.TopicArn == var.sns_topic_arn)
    error_message = "The rendered definition names the real Glue job, training function and topic."
  }

  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.states.policy).Statement :
      s.Sid != "InvokeTrainingTasks" || toset(flatten([s.Resource])) == toset([output.training_function_arn, "${output.training_function_arn}:*"])
    ])
    error_message = "Step Functions may invoke only the training function."
  }

  assert {
    condition = (aws_sfn_state_machine.training.encryption_configuration[0].kms_key_id == var.kms_key_arn &&
      aws_glue_security_configuration.this.encryption_configuration[0].s3_encryption[0].s3_encryption_mode == "SSE-KMS" &&
      aws_glue_job.prepare.security_configuration == aws_glue_security_configuration.this.name &&
    alltrue([for k in [output.function.log_group_kms_key_id, aws_cloudwatch_log_group.pipeline.kms_key_id, output.function.kms_key_arn, output.function.artifact_kms_key_id] : k == var.kms_key_arn]))
    error_message = "State machine, Glue output and logs are KMS-encrypted."
  }

  assert {
    condition = (aws_glue_job.prepare.glue_version == "5.0" && aws_glue_job.prepare.default_arguments["--class"] == "GlueApp" &&
    startswith(aws_glue_job.prepare.default_arguments["--extra-jars"], "s3://recsys-data/artifacts/glue-job/"))
    error_message = "Glue 5.0 runs the glue-job artefact through its Scala entry class."
  }

  assert {
    condition     = aws_scheduler_schedule.training.target[0].arn == aws_sfn_state_machine.training.arn && aws_scheduler_schedule.training.kms_key_arn == var.kms_key_arn
    error_message = "The schedule starts the state machine."
  }

  assert {
    condition = alltrue([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement :
      s.Sid != "PassRoleToPersonalize" || (toset(flatten([s.Resource])) == toset([aws_iam_role.personalize.arn, aws_iam_role.dataset_group.arn]) && try(s.Condition.StringEquals["iam:PassedToService"], "") == "personalize.amazonaws.com")
    ])
    error_message = "The training function may pass only the Personalize roles (import, dataset group key), only to Personalize."
  }

  assert {
    condition     = output.variant_campaign_arns["a"] == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a"
    error_message = "Campaign ARNs are derived from the names the pipeline uses."
  }

  # Related items, ranking and trending are trained by default, with the recipes TrainingConfig defaults to.
  assert {
    condition = (output.function_environment.RELATED_ITEMS_RECIPE == "arn:aws:personalize:::recipe/aws-sims" &&
      output.function_environment.RANKING_RECIPE == "arn:aws:personalize:::recipe/aws-personalized-ranking-v2" &&
    output.function_environment.TRENDING_RECIPE == "arn:aws:personalize:::recipe/aws-trending-now")
    error_message = "The training function gets the related-items, ranking and trending recipes (defaults: aws-sims, aws-personalized-ranking-v2, aws-trending-now)."
  }

  assert {
    condition = (output.similar_items_campaign_arn == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar" &&
      output.ranking_campaign_arn == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking" &&
      output.trending_campaign_arn == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-trending" &&
    keys(output.campaign_arns) == ["a", "b", "ranking", "similar", "trending"])
    error_message = "The similar, ranking and trending campaigns get the ARNs of the names the pipeline gives them (<name>-similar, -ranking, -trending)."
  }

  # ---- the catalogs: the Items and Users datasets ----
  # Their ARNs are named after the dataset group, which TrainingConfig.datasetGroupName() takes from the function's
  # name_prefix variable: dataset/<NAME_PREFIX>/ITEMS and /USERS (what the consumer's PutItems / PutUsers target).
  assert {
    condition = (output.dataset_arns == {
      items = "arn:aws:personalize:eu-west-1:123456789012:dataset/${output.function_environment[var.contract.environment.training_lambda.name_prefix]}/ITEMS"
      users = "arn:aws:personalize:eu-west-1:123456789012:dataset/${output.function_environment[var.contract.environment.training_lambda.name_prefix]}/USERS"
    } && output.function_environment.NAME_PREFIX == "recsys")
    error_message = "dataset_arns must be the Items and Users datasets of the dataset group the function creates (named by its NAME_PREFIX): dataset/recsys/ITEMS and dataset/recsys/USERS."
  }

  # What the Users dataset adds to the run, beside the Items one (PersonalizeResources, TrainingTasks): its schema
  # <name>-users-v1, the dataset of type USERS, an import job <name>-<run>-users; each call is granted by a statement
  # naming the action whose resource glob matches the ARN. And Personalize's import role reads the run's users CSV.
  assert {
    condition = alltrue([for p in [
      "personalize:CreateSchema arn:aws:personalize:eu-west-1:123456789012:schema/recsys-users-v1",
      "personalize:CreateDataset arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/USERS",
      "personalize:DescribeDataset arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/USERS",
      "personalize:CreateDatasetImportJob arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/recsys-exec-1-users",
      "personalize:DescribeDatasetImportJob arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/recsys-exec-1-users",
      ] : anytrue(flatten([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement : [
        for g in flatten([s.Resource]) : can(regex("^${replace(replace(g, "/[.+^$()\\[\\]{}|\\\\]/", "\\$0"), "*", ".*")}$", split(" ", p)[1]))
      ] if s.Effect == "Allow" && contains(flatten([s.Action]), split(" ", p)[0])]))
      ]) && anytrue(flatten([for s in jsondecode(output.policy_documents["training/personalize-policy"]).Statement : [
        for g in flatten([s.Resource]) : can(regex("^${replace(replace(g, "/[.+^$()\\[\\]{}|\\\\]/", "\\$0"), "*", ".*")}$", "arn:aws:s3:::recsys-data/${var.contract.s3.prepared_prefix}exec-1/users/part-00000.csv"))
      ] if contains(flatten([s.Action]), "s3:GetObject")])) && anytrue([for s in jsondecode(output.policy_documents["training/personalize-policy"]).Statement :
      anytrue([for g in flatten([try(s.Condition.StringLike["s3:prefix"], [])]) : can(regex("^${replace(replace(g, "/[.+^$()\\[\\]{}|\\\\]/", "\\$0"), "*", ".*")}$", "${var.contract.s3.prepared_prefix}exec-1/users/"))])
    if contains(flatten([s.Action]), "s3:ListBucket")])
    error_message = "The training function must be able to create and describe the Users schema, dataset and import job (<name>-users-v1, dataset/<name>/USERS, <name>-<run>-users), and Personalize's import role to list and read prepared/<run>/users/."
  }

  # Glue reads the stream's user records (the contract's raw_users_prefix) and the bulk user files (users_import_prefix)
  # where it reads the item records and the bulk catalog: ListBucket of each prefix, GetObject on an object under each.
  assert {
    condition = alltrue([for prefix in [var.contract.s3.raw_users_prefix, var.contract.s3.users_import_prefix, var.contract.s3.raw_items_prefix, var.contract.s3.catalog_import_prefix] :
      anytrue(flatten([for s in jsondecode(output.policy_documents["training/glue-policy"]).Statement : [
        for g in flatten([s.Resource]) : can(regex("^${replace(replace(g, "/[.+^$()\\[\\]{}|\\\\]/", "\\$0"), "*", ".*")}$", "arn:aws:s3:::recsys-data/${prefix}2026/12/04/18/part-0.jsonl.gz"))
      ] if contains(flatten([s.Action]), "s3:GetObject")])) &&
      anytrue([for g in one([for s in jsondecode(output.policy_documents["training/glue-policy"]).Statement : s.Condition.StringLike["s3:prefix"] if s.Sid == "List"]) :
      can(regex("^${replace(replace(g, "/[.+^$()\\[\\]{}|\\\\]/", "\\$0"), "*", ".*")}$", prefix))])
    ]) && var.contract.s3.raw_users_prefix == "raw/users/" && var.contract.s3.users_import_prefix == "users/"
    error_message = "The Glue role must be able to list and read raw/users/ and users/ (the contract's raw_users_prefix, users_import_prefix) as it does raw/items/ and catalog/."
  }

  # IAM of the training function already covers them: solutions and campaigns <name>-*.
  assert {
    condition = length([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement : s if s.Sid == "PersonalizeOrchestration" &&
      contains(flatten([s.Resource]), "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-*") &&
    contains(flatten([s.Resource]), "arn:aws:personalize:eu-west-1:123456789012:solution/recsys-*")]) == 1
    error_message = "The training function may create and update the similar, ranking and baseline solutions and campaigns."
  }
}

# ---- the decision step ----

run "training_decides_the_experiment" {
  command = apply

  module {
    source = "./modules/training"
  }

  assert {
    condition = ({ for k, v in output.function_environment : k => v if contains(["EXPERIMENTS_TABLE", "EXPERIMENT_ID", "EXPERIMENT_POLICY", "EXPERIMENT_ROUTE", "EXPERIMENT_PROMOTE_STEP", "VARIANT_WEIGHTS"], k) } == {
      EXPERIMENTS_TABLE       = "recsys-experiments"
      EXPERIMENT_ID           = "recs-ab-7"
      EXPERIMENT_POLICY       = "report"
      EXPERIMENT_ROUTE        = "/users/{userId}/recommendations"
      EXPERIMENT_PROMOTE_STEP = "25"
      VARIANT_WEIGHTS         = "a=70,b=30"
    })
    error_message = "The decision step gets the results table, the experiment id, policy report, the user-recommendations route, a 25-point step and the deployed weights (a=70,b=30)."
  }

  # Every (action, resource) pair of the function's role on the bucket, the tables and "*", exactly:
  # the manifest under prepared/, the fallback list it publishes, the split it reads and publishes
  # (config/experiment.json), a Query of the results. Widening to config/* or "*" fails.
  assert {
    condition = toset(flatten([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement : [
      for a in flatten([s.Action]) : [for r in flatten([s.Resource]) : "${a} ${r}" if r == "*" || can(regex("^arn:aws:(dynamodb|s3):", r))]
      ]])) == toset(concat(
      ["xray:PutTraceSegments *", "xray:PutTelemetryRecords *"],
      [for l in ["ListDatasetGroups", "ListSchemas", "ListDatasets", "ListDatasetImportJobs", "ListSolutions", "ListSolutionVersions", "ListCampaigns", "ListEventTrackers", "ListFilters"] : "personalize:${l} *"],
      [
        "s3:ListBucket arn:aws:s3:::recsys-data",
        "s3:GetObject arn:aws:s3:::recsys-data/prepared/*",
        "s3:PutObject arn:aws:s3:::recsys-data/config/popular-items.json",
        "s3:GetObject arn:aws:s3:::recsys-data/config/experiment.json",
        "s3:PutObject arn:aws:s3:::recsys-data/config/experiment.json",
        "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments",
      ],
    ))
    error_message = "The training role must grant exactly: GetObject prepared/*, PutObject on the fallback list, GetObject+PutObject on config/experiment.json, Query on the experiments table."
  }

  # Powertools reads its service name itself (environment.lambda_libraries): without it every log line and metric
  # document says "service_undefined".
  assert {
    condition     = output.function_library_environment == { (var.contract.environment.lambda_libraries.powertools_service_name) = "recsys-training" }
    error_message = "The function must get Powertools' service name (the contract's environment.lambda_libraries), set to the function's name."
  }

  # The contract's environment.training_lambda is what TrainingConfig and ExperimentConfig read: every variable the
  # function is given is declared there, and the ones the configuration requires are present (AWS_REGION is Lambda's).
  assert {
    condition = (alltrue([for k in keys(output.function_environment) : contains(values(var.contract.environment.training_lambda), k)]) &&
      alltrue([for k in ["data_bucket", "variants", "import_role_arn", "experiments_table", "experiment_id", "variant_weights"] :
    contains(keys(output.function_environment), var.contract.environment.training_lambda[k])]))
    error_message = "The training function gets an environment variable the contract's environment.training_lambda (what TrainingConfig reads) does not declare, or misses one it requires."
  }

  # ExperimentConfig.weights: VARIANT_WEIGHTS names exactly the variants of VARIANTS, in that order (users'
  # buckets are laid out in it; another order would move users when the pipeline publishes a split).
  assert {
    condition     = [for p in split(",", output.function_environment.VARIANT_WEIGHTS) : split("=", p)[0]] == [for p in split(",", output.function_environment.VARIANTS) : split("=", p)[0]]
    error_message = "VARIANT_WEIGHTS must list the variants of VARIANTS in the same order."
  }
}

run "the_promote_policy_and_step_reach_the_decision_step" {
  command = apply

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { experiment = { id = "recs-ab-7", policy = "promote", promote_step = 10, route = "/recommendations" } })
  }

  assert {
    condition     = output.function_environment.EXPERIMENT_POLICY == "promote" && output.function_environment.EXPERIMENT_PROMOTE_STEP == "10" && output.function_environment.EXPERIMENT_ROUTE == "/recommendations"
    error_message = "experiment.policy, promote_step and route become EXPERIMENT_POLICY, EXPERIMENT_PROMOTE_STEP and EXPERIMENT_ROUTE."
  }
}

run "rejects_weights_that_do_not_match_the_variants" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { variant_weights = { a = 100 } })
  }

  expect_failures = [var.settings]
}

run "rejects_an_unknown_policy" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { experiment = { id = "recs-ab-7", policy = "auto" } })
  }

  expect_failures = [var.settings]
}

run "related_items_ranking_and_trending_can_be_switched_off" {
  command = apply

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { related_items_recipe_arn = "", ranking_recipe_arn = "", trending_recipe_arn = "" })
  }

  assert {
    condition = (output.function_environment.RELATED_ITEMS_RECIPE == "" && output.function_environment.RANKING_RECIPE == "" &&
      output.function_environment.TRENDING_RECIPE == "" && output.trending_campaign_arn == null &&
    output.similar_items_campaign_arn == null && output.ranking_campaign_arn == null && keys(output.campaign_arns) == ["a", "b"])
    error_message = "An empty recipe trains no such solution (TrainingConfig reads \"\" as off) and names no campaign."
  }
}

run "rejects_a_recipe_that_is_not_a_recipe_arn" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { ranking_recipe_arn = "aws-personalized-ranking-v2" })
  }

  expect_failures = [var.settings]
}

run "rejects_variants_named_like_the_pipelines_own_solutions" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, {
      variants        = { a = "arn:aws:personalize:::recipe/aws-user-personalization-v2", similar = "arn:aws:personalize:::recipe/aws-sims" }
      variant_weights = { a = 50, similar = 50 } # matching weights: only the reserved name is wrong
    })
  }

  expect_failures = [var.settings]
}

run "missing_template_is_refused" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    asl_template_path = "tests/fixtures/no-such.asl.json"
  }

  expect_failures = [var.asl_template_path]
}

# The contract link: with a renamed contract every prefix and key the pipeline is granted follows it.
run "names_come_from_the_contract" {
  command = apply

  module {
    source = "./modules/training"
  }

  variables {
    contract_file = var.renamed_contract_file
    contract      = jsondecode(file("tests/fixtures/renamed-contract.json"))
  }

  assert {
    condition = toset(flatten([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement : [
      for a in flatten([s.Action]) : [for r in flatten([s.Resource]) : "${a} ${r}" if can(regex("^arn:aws:s3:", r))]
      ]])) == toset([
      "s3:ListBucket arn:aws:s3:::recsys-data",
      "s3:GetObject arn:aws:s3:::recsys-data/${var.contract.s3.prepared_prefix}*",
      "s3:PutObject arn:aws:s3:::recsys-data/${var.contract.s3.popular_items_key}",
      "s3:GetObject arn:aws:s3:::recsys-data/${var.contract.s3.experiment_split_key}",
      "s3:PutObject arn:aws:s3:::recsys-data/${var.contract.s3.experiment_split_key}",
    ]) && one([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement : s.Condition if s.Sid == "ListPreparedAndConfig"]) == { StringLike = { "s3:prefix" = ["${var.contract.s3.prepared_prefix}*", "${var.contract.s3.config_prefix}*"] } }
    error_message = "The training role's object grants and list condition must come from the contract (prepared_prefix, config_prefix, popular_items_key, experiment_split_key)."
  }

  assert {
    condition = (one([for s in jsondecode(output.policy_documents["training/personalize-policy"]).Statement : s.Resource if s.Sid == "ReadPrepared"]) == "arn:aws:s3:::recsys-data/${var.contract.s3.prepared_prefix}*" &&
      contains(one([for s in jsondecode(output.policy_documents["training/glue-policy"]).Statement : s.Resource if s.Sid == "WritePreparedAndTemp"]), "arn:aws:s3:::recsys-data/${var.contract.s3.prepared_prefix}*") &&
      contains(one([for s in jsondecode(output.policy_documents["training/glue-policy"]).Statement : s.Resource if s.Sid == "ReadRawAndCode"]), "arn:aws:s3:::recsys-data/${var.contract.s3.artifacts_prefix}glue-job/*") &&
      contains(one([for s in jsondecode(output.policy_documents["training/glue-policy"]).Statement : s.Resource if s.Sid == "ReadRawAndCode"]), "arn:aws:s3:::recsys-data/${var.contract.s3.catalog_import_prefix}*") &&
      contains(one([for s in jsondecode(output.policy_documents["training/glue-policy"]).Statement : s.Resource if s.Sid == "ReadRawAndCode"]), "arn:aws:s3:::recsys-data/${var.contract.s3.users_import_prefix}*") &&
      contains(one([for s in jsondecode(output.policy_documents["training/glue-policy"]).Statement : s.Condition.StringLike["s3:prefix"] if s.Sid == "List"]), "${var.contract.s3.users_import_prefix}*") &&
      var.contract.s3.users_import_prefix == "x-users/" &&
      startswith(aws_glue_job.prepare.default_arguments["--extra-jars"], "s3://recsys-data/${var.contract.s3.artifacts_prefix}glue-job/") &&
    output.function.artifact_key == "${var.contract.s3.artifacts_prefix}training-lambda/placeholder.jar")
    error_message = "Personalize and Glue read prepared/, Glue lists and reads the bulk catalog and user files, and the Glue and function artefacts sit under artifacts/, all as the contract names them."
  }

  assert {
    condition = (output.function_environment.X_RELATED_ITEMS_RECIPE == var.contract.recipes.related_items &&
      output.function_environment.X_RANKING_RECIPE == var.contract.recipes.ranking &&
    var.contract.recipes.ranking == "arn:aws:personalize:::recipe/x-personalized-ranking")
    error_message = "Without recipes of its own the pipeline trains the contract's default recipes."
  }

  # Every variable the function is given is named by the contract's environment.training_lambda; without a route of
  # its own the decision step takes the contract's default one.
  assert {
    condition = (alltrue([for k in keys(output.function_environment) : contains(values(var.contract.environment.training_lambda), k)]) &&
    output.function_environment.X_EXPERIMENT_ID == "recs-ab-7" && output.function_environment.X_EXPERIMENT_ROUTE == "/x-users/{xUserId}/recommendations")
    error_message = "The function's environment variables and its default experiment route must come from the contract."
  }
}

# ---- security: the dataset group's key, KMS grants by service, executions that end without a notification ----

# CreateDatasetGroup gets the stack's key and the role Personalize uses it with (TrainingConfig: KMS_KEY_ARN,
# DATASET_GROUP_ROLE_ARN). The mocked roles share one ARN: the key role gets one of its own here.
run "the_dataset_group_is_encrypted_with_the_stack_key" {
  command = apply

  module {
    source = "./modules/training"
  }

  # Its own state: the role is created in this run, with the overridden ARN.
  state_key = "dataset_group_key"

  override_resource {
    target = aws_iam_role.dataset_group
    values = { arn = "arn:aws:iam::123456789012:role/recsys-dsg-key-mock" }
  }

  assert {
    condition = (output.function_environment[var.contract.environment.training_lambda.kms_key_arn] == var.kms_key_arn &&
      output.function_environment[var.contract.environment.training_lambda.dataset_group_role_arn] == "arn:aws:iam::123456789012:role/recsys-dsg-key-mock" &&
    output.dataset_group_role_arn == "arn:aws:iam::123456789012:role/recsys-dsg-key-mock")
    error_message = "The training function must get the stack's KMS key (KMS_KEY_ARN) and the dataset group's key role (DATASET_GROUP_ROLE_ARN) for CreateDatasetGroup."
  }

  # The role trusts Personalize of this account only, and may use this key only, only through Personalize.
  assert {
    condition = (jsondecode(output.policy_documents["training/dataset-group-trust"]).Statement == [{
      Effect    = "Allow", Principal = { Service = "personalize.amazonaws.com" }, Action = "sts:AssumeRole",
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
      }] && jsondecode(output.policy_documents["training/dataset-group-policy"]).Statement == [{
      Sid      = "DatasetGroupKey", Effect = "Allow", Action = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants"],
      Resource = var.kms_key_arn, Condition = { StringEquals = { "kms:ViaService" = "personalize.eu-west-1.amazonaws.com" } }
    }] && aws_iam_role_policy.dataset_group.role == aws_iam_role.dataset_group.id)
    error_message = "The dataset group's key role must trust personalize.amazonaws.com (this account) and grant Decrypt/GenerateDataKey/DescribeKey/ListGrants on the stack key only, with kms:ViaService personalize.<region>."
  }

  assert {
    condition = anytrue([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement :
    s.Sid == "PassRoleToPersonalize" && contains(flatten([s.Resource]), "arn:aws:iam::123456789012:role/recsys-dsg-key-mock")])
    error_message = "The training function must be allowed to pass the dataset group's key role to Personalize."
  }
}

# Every grant of the stack key in this module names the services it is used through (kms:ViaService), exactly.
run "every_kms_grant_names_the_services_it_is_used_through" {
  command = apply

  module {
    source = "./modules/training"
  }

  assert {
    condition = alltrue(flatten([for name, doc in output.policy_documents : [
      for s in jsondecode(doc).Statement : length(flatten([try(s.Condition.StringEquals["kms:ViaService"], [])])) > 0
      if s.Effect == "Allow" && anytrue([for a in flatten([try(s.Action, [])]) : startswith(a, "kms:")])
    ]]))
    error_message = "Every Allow of a kms: action in the training module's policies must carry a kms:ViaService condition."
  }

  assert {
    condition = jsonencode({ for name, doc in output.policy_documents : name => sort(distinct(flatten([
      for s in jsondecode(doc).Statement : flatten([try(s.Condition.StringEquals["kms:ViaService"], [])])
      if anytrue([for a in flatten([try(s.Action, [])]) : startswith(a, "kms:")])
      ]))) if length([for s in jsondecode(doc).Statement : s if anytrue([for a in flatten([try(s.Action, [])]) : startswith(a, "kms:")])]) > 0 }) == jsonencode({
      "training/training-policy"      = ["dynamodb.eu-west-1.amazonaws.com", "lambda.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"]
      "training/personalize-policy"   = ["s3.eu-west-1.amazonaws.com"]
      "training/glue-policy"          = ["s3.eu-west-1.amazonaws.com"]
      "training/states-policy"        = ["sns.eu-west-1.amazonaws.com", "states.eu-west-1.amazonaws.com"]
      "training/scheduler-policy"     = ["states.eu-west-1.amazonaws.com"]
      "training/events-policy"        = ["sns.eu-west-1.amazonaws.com"]
      "training/dataset-group-policy" = ["personalize.eu-west-1.amazonaws.com"]
    })
    error_message = "The key grants must name exactly the services each role uses the key through: the function lambda/s3/dynamodb, import and Glue s3, Step Functions sns/states, the schedule states, the EventBridge target sns, the dataset group personalize."
  }
}

# A timed-out or aborted execution runs no state (NotifyFailure never runs): EventBridge's status-change event of this
# state machine reaches the topic, with a readable message, through a role that may only publish there.
run "an_execution_that_ends_without_a_notification_state_still_reaches_the_topic" {
  command = apply

  module {
    source = "./modules/training"
  }

  assert {
    condition = (jsondecode(aws_cloudwatch_event_rule.execution_ended.event_pattern).source == ["aws.states"] &&
      jsondecode(aws_cloudwatch_event_rule.execution_ended.event_pattern)["detail-type"] == ["Step Functions Execution Status Change"] &&
      jsondecode(aws_cloudwatch_event_rule.execution_ended.event_pattern).detail.stateMachineArn == [aws_sfn_state_machine.training.arn] &&
      toset(jsondecode(aws_cloudwatch_event_rule.execution_ended.event_pattern).detail.status) == toset(["TIMED_OUT", "ABORTED", "FAILED"]) &&
    output.execution_ended_rule.name == aws_cloudwatch_event_rule.execution_ended.name)
    error_message = "An EventBridge rule must match this state machine's Execution Status Change events with status TIMED_OUT, ABORTED and FAILED."
  }

  assert {
    condition = (aws_cloudwatch_event_target.execution_ended.rule == aws_cloudwatch_event_rule.execution_ended.name &&
      aws_cloudwatch_event_target.execution_ended.arn == var.sns_topic_arn &&
      aws_cloudwatch_event_target.execution_ended.role_arn == aws_iam_role.events.arn &&
      aws_cloudwatch_event_target.execution_ended.input_transformer[0].input_paths == tomap({ name = "$.detail.name", status = "$.detail.status", arn = "$.detail.executionArn", time = "$.time" }) &&
      can(jsondecode(replace(aws_cloudwatch_event_target.execution_ended.input_transformer[0].input_template, "/<[a-z]+>/", "x"))) &&
    alltrue([for p in ["<name>", "<status>", "<arn>", "<time>"] : strcontains(aws_cloudwatch_event_target.execution_ended.input_transformer[0].input_template, p)]))
    error_message = "The rule's target must be the stack's topic, published with the events role, the message a JSON string naming the run, its status, time and execution."
  }

  assert {
    condition = (jsondecode(output.policy_documents["training/events-trust"]).Statement[0].Principal == { Service = "events.amazonaws.com" } &&
      toset(flatten([for s in jsondecode(output.policy_documents["training/events-policy"]).Statement : [for a in flatten([s.Action]) : "${a} ${s.Resource}"]])) == toset([
        "sns:Publish ${var.sns_topic_arn}", "kms:Decrypt ${var.kms_key_arn}", "kms:GenerateDataKey ${var.kms_key_arn}",
    ]) && aws_iam_role_policy.events.role == aws_iam_role.events.id)
    error_message = "EventBridge's role must trust events.amazonaws.com and may only publish to the topic (and use its key)."
  }
}

# ---- the wait loops' limits ----

run "the_wait_loops_limits_reach_the_function" {
  command = apply

  module {
    source = "./modules/training"
  }

  assert {
    condition     = output.function_environment[var.contract.environment.training_lambda.max_status_checks] == "resources=60,import=120,training=96,campaign=60"
    error_message = "By default the wait loops check 60 (resources), 120 (import), 96 (training) and 60 (campaign) times: MAX_STATUS_CHECKS as StatusChecks reads it."
  }
}

run "the_wait_loops_limits_are_set_per_stage" {
  command = apply

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { max_status_checks = { import = 3, campaign = 1000 } })
  }

  assert {
    condition     = output.function_environment.MAX_STATUS_CHECKS == "resources=60,import=3,training=96,campaign=1000"
    error_message = "settings.max_status_checks sets each stage's limit; the others keep their defaults."
  }
}

run "rejects_a_wait_limit_of_zero" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { max_status_checks = { training = 0 } })
  }

  expect_failures = [var.settings]
}

run "rejects_a_fractional_or_too_large_wait_limit" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { max_status_checks = { import = 2.5, resources = 1001 } })
  }

  expect_failures = [var.settings]
}

run "filters_reach_the_pipeline_and_their_arns_the_outputs" {
  command = apply

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { filters = {
      exclude-purchased = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")"
      by-category       = "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"
    } })
  }

  assert {
    condition = jsondecode(output.function_environment[var.contract.environment.training_lambda.filters]) == {
      exclude-purchased = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")"
      by-category       = "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"
    }
    error_message = "FILTERS carries every configured filter, name => expression, as FilterPlan reads it."
  }

  assert {
    condition = (output.filters["by-category"].arn == "arn:aws:personalize:eu-west-1:123456789012:filter/recsys-by-category" &&
    output.filters["exclude-purchased"].expression == "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")")
    error_message = "Each filter's ARN is the one the pipeline creates (<name>-<filter> in this region and account), beside its expression."
  }

  # The pipeline creates, describes and replaces (deletes) only this deployment's filters.
  assert {
    condition = alltrue([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement :
      contains(flatten([s.Resource]), "arn:aws:personalize:eu-west-1:123456789012:filter/recsys-*")
      if length(setintersection(flatten([s.Action]), ["personalize:CreateFilter", "personalize:DescribeFilter", "personalize:DeleteFilter"])) > 0
      ]) && length([for s in jsondecode(output.policy_documents["training/training-policy"]).Statement : s
    if length(setintersection(flatten([s.Action]), ["personalize:CreateFilter", "personalize:DescribeFilter", "personalize:DeleteFilter"])) == 3]) == 1
    error_message = "CreateFilter, DescribeFilter and DeleteFilter are granted together, on this deployment's filters."
  }
}

run "no_filters_by_default" {
  command = apply

  module {
    source = "./modules/training"
  }

  assert {
    condition     = output.function_environment.FILTERS == "{}" && output.filters == {}
    error_message = "Without filters configured, FILTERS is an empty object and no filter ARN is output."
  }
}

run "rejects_a_filter_name_personalize_would_refuse" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { filters = { "By_Category" = "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)" } })
  }

  expect_failures = [var.settings]
}

run "rejects_an_expression_that_is_not_include_or_exclude" {
  command = plan

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { filters = { by-category = "ItemID WHERE Items.CATEGORY IN ($CATEGORY)" } })
  }

  expect_failures = [var.settings]
}
