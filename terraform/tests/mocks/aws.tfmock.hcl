# Shared mock values for `mock_provider "aws" { source = "./tests/mocks" }`. The provider still
# validates ARNs and a few formats under mocks, so computed ARNs get well-formed fake values
# (one per resource type: the tests only compare them, they never need them to be unique).

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_data "aws_availability_zones" {
  defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000001", key_id = "00000000-0000-0000-0000-000000000001" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mock-role" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock" }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:recsys-alerts" }
}

mock_resource "aws_kinesis_stream" {
  defaults = { arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/recsys-interactions" }
}

mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/mock" }
}

mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::recsys-data-mock", id = "recsys-data-mock", bucket = "recsys-data-mock" }
}

mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/recsys/kcl-consumer"
    repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/recsys/kcl-consumer"
  }
}

mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/recsys" }
}

mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/recsys-kcl-consumer:1" }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn           = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
    qualified_arn = "arn:aws:lambda:eu-west-1:123456789012:function:mock:1"
    invoke_arn    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
    version       = "1"
  }
}

mock_resource "aws_lambda_alias" {
  defaults = {
    arn        = "arn:aws:lambda:eu-west-1:123456789012:function:mock:live"
    invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock:live/invocations"
  }
}

mock_resource "aws_api_gateway_rest_api" {
  defaults = {
    id               = "abc123defg"
    root_resource_id = "rootres000"
    execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:abc123defg"
    arn              = "arn:aws:apigateway:eu-west-1::/restapis/abc123defg"
  }
}

mock_resource "aws_api_gateway_stage" {
  defaults = {
    arn           = "arn:aws:apigateway:eu-west-1::/restapis/abc123defg/stages/v1"
    execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123defg/v1"
    invoke_url    = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1"
  }
}

mock_resource "aws_glue_job" {
  defaults = { arn = "arn:aws:glue:eu-west-1:123456789012:job/recsys-prepare-interactions" }
}

mock_resource "aws_sfn_state_machine" {
  defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:recsys-training" }
}

mock_resource "aws_elasticache_replication_group" {
  defaults = { primary_endpoint_address = "master.recsys-cache.abcdef.euw1.cache.amazonaws.com" }
}

mock_resource "aws_vpc_endpoint" {
  defaults = { prefix_list_id = "pl-12345678" }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = { arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:mock" }
}

# The authorizer's provider_arns and the issuer URL are built from these.
mock_resource "aws_cognito_user_pool" {
  defaults = { arn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_MockPool1", id = "eu-west-1_MockPool1" }
}

# The association and the logging configuration validate the web ACL's ARN.
mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/recsys-api/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" }
}
