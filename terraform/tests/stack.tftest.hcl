# Whole-stack invariants, planned and "applied" against a mocked AWS provider (no account needed).
# The jars and the ASL are fixtures here; artifacts.tftest.hcl and pipeline.tftest.hcl use the
# real ones after the Maven build.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  environment               = "prod"
  consumer_image_tag        = "1.0.0"
  alarm_emails              = ["oncall@example.com"]
  api_fallback_static_items = ["item-1", "item-2"]
  artifact_overrides = {
    api_lambda      = "tests/fixtures/placeholder.jar"
    training_lambda = "tests/fixtures/placeholder.jar"
    glue_job        = "tests/fixtures/placeholder.jar"
    glue_script     = "tests/fixtures/placeholder.jar"
  }
  asl_template_path = "tests/fixtures/pipeline.asl.json"
}

run "stack" {
  command = apply

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
            "personalize:ListCampaigns", "personalize:ListEventTrackers",
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
    condition     = startswith(output.app_environment.api_lambda.RECSYS_REDIS_URL, "rediss://") && !can(output.app_environment.kcl_consumer.REDIS_URI)
    error_message = "Redis is reached over TLS (rediss://); the consumer's URI (with the token) is a secret, not plain environment."
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
      "arn:aws:personalize:eu-west-1:123456789012:filter/recsys-*",
    ])
    error_message = "The API's Personalize permissions must cover exactly the variant, similar and ranking campaigns."
  }

  assert {
    condition     = output.personalize_names.campaigns == { a = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a", b = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-b", similar = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-similar", ranking = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-ranking" }
    error_message = "personalize_names lists every campaign the pipeline creates."
  }
}

run "an_override_campaign_replaces_the_pipelines_and_an_empty_recipe_leaves_the_route_on_the_fallback" {
  command = apply

  variables {
    api_similar_items_campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/managed-elsewhere"
    training_ranking_recipe_arn    = ""
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
      "arn:aws:personalize:eu-west-1:123456789012:filter/recsys-*",
    ])
    error_message = "The API's Personalize permissions follow the campaigns it actually uses."
  }
}

run "rejects_a_related_items_recipe_that_is_not_a_recipe_arn" {
  command = plan

  variables {
    training_related_items_recipe_arn = "sims"
  }

  expect_failures = [var.training_related_items_recipe_arn]
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
    kinesis_shard_count = 2
    consumer_min_count  = 1
    consumer_max_count  = 3
  }

  expect_failures = [var.consumer_max_count]
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
    consumer_image_tag = "latest"
  }

  expect_failures = [var.consumer_image_tag]
}

run "rejects_single_az" {
  command = plan

  variables {
    az_count = 1
  }

  expect_failures = [var.az_count]
}
