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
      s.Sid != "PassRoleToPersonalize" || (s.Resource == aws_iam_role.personalize.arn && try(s.Condition.StringEquals["iam:PassedToService"], "") == "personalize.amazonaws.com")
    ])
    error_message = "The training function may pass only the Personalize role, only to Personalize."
  }

  assert {
    condition     = output.variant_campaign_arns["a"] == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a"
    error_message = "Campaign ARNs are derived from the names the pipeline uses."
  }

  # Related items and ranking are trained by default, with the recipes TrainingConfig defaults to.
  assert {
    condition = (output.function_environment.RELATED_ITEMS_RECIPE == "arn:aws:personalize:::recipe/aws-sims" &&
    output.function_environment.RANKING_RECIPE == "arn:aws:personalize:::recipe/aws-personalized-ranking-v2")
    error_message = "The training function gets the related-items and ranking recipes (defaults: aws-sims, aws-personalized-ranking-v2)."
  }

  assert {
    condition = (output.similar_items_campaign_arn == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar" &&
      output.ranking_campaign_arn == "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking" &&
    keys(output.campaign_arns) == ["a", "b", "ranking", "similar"])
    error_message = "The similar and ranking campaigns get the ARNs of the names the pipeline gives them (<name>-similar, <name>-ranking)."
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
      [for l in ["ListDatasetGroups", "ListSchemas", "ListDatasets", "ListDatasetImportJobs", "ListSolutions", "ListSolutionVersions", "ListCampaigns", "ListEventTrackers"] : "personalize:${l} *"],
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

run "related_items_and_ranking_can_be_switched_off" {
  command = apply

  module {
    source = "./modules/training"
  }

  variables {
    settings = merge(var.settings, { related_items_recipe_arn = "", ranking_recipe_arn = "" })
  }

  assert {
    condition = (output.function_environment.RELATED_ITEMS_RECIPE == "" && output.function_environment.RANKING_RECIPE == "" &&
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
      startswith(aws_glue_job.prepare.default_arguments["--extra-jars"], "s3://recsys-data/${var.contract.s3.artifacts_prefix}glue-job/") &&
    output.function.artifact_key == "${var.contract.s3.artifacts_prefix}training-lambda/placeholder.jar")
    error_message = "Personalize and Glue read prepared/ and the Glue and function artefacts sit under artifacts/, all as the contract names them."
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
