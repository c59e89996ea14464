# Shared fixtures of every test file: terraform test loads this file for each of them, and a file's own
# `variables {}` (or a run's) overrides any value here. Only names the root module does not declare, plus
# `artifacts` (the fixture jars and ASL), live here: values in this file also override `-var-file`, and the
# example tfvars must keep control of every root input they set. The decoded contract the tests compare with
# (jsondecode(file(...)) of common/contract/recsys-contract.json) is a function call, which a tfvars file cannot
# hold: it stays in the test files that use it.

# The account, its key and network (modules under test take them as inputs; the subnets through their `vpc` object).
account_id        = "123456789012"
kms_key_arn       = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
subnet_ids        = ["subnet-a", "subnet-b"]
sns_topic_arn     = "arn:aws:sns:eu-west-1:123456789012:recsys-alerts"
bucket            = { name = "recsys-data", arn = "arn:aws:s3:::recsys-data" }
asl_template_path = "tests/fixtures/pipeline.asl.json"

# The cache as the storage module outputs it, with the API's user (the fleet test gives the consumer's).
redis = {
  url   = "rediss://cache.example:6379"
  cache = { name = "recsys-cache", arn = "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:recsys-cache" }
  user  = { id = "recsys-api", arn = "arn:aws:elasticache:eu-west-1:123456789012:user:recsys-api" }
}

# Stores as the storage module names them.
interactions_table  = { name = "recsys-interactions", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-interactions" }
user_profiles_table = { name = "recsys-user-profiles", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-user-profiles" }
experiments_table   = { name = "recsys-experiments", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments" }
items_table         = { name = "recsys-items", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-items" }
users_table         = { name = "recsys-users", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-users" }
experiment_tables = {
  exposures        = { name = "recsys-exposures", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-exposures" }
  experiment_users = { name = "recsys-experiment-users", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiment-users" }
  experiments      = { name = "recsys-experiments", arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/recsys-experiments" }
}

# The dataset group's Items and Users datasets as the training module names them (output dataset_arns).
personalize_datasets = {
  items = "arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/ITEMS"
  users = "arn:aws:personalize:eu-west-1:123456789012:dataset/recsys/USERS"
}

# Artefacts: a placeholder jar for every function and job (artifacts.tftest.hcl checks the real ones).
jar_path          = "tests/fixtures/placeholder.jar"
training_jar_path = "tests/fixtures/placeholder.jar"
glue_jar_path     = "tests/fixtures/placeholder.jar"
glue_script_path  = "tests/fixtures/placeholder.jar"
artifacts = {
  overrides = {
    api_lambda      = "tests/fixtures/placeholder.jar"
    training_lambda = "tests/fixtures/placeholder.jar"
    glue_job        = "tests/fixtures/placeholder.jar"
    glue_script     = "tests/fixtures/placeholder.jar"
  }
  asl_template_path = "tests/fixtures/pipeline.asl.json"
}

# The training pipeline's variants, for its `settings` (serving gets them as campaigns, see serving.tftest.hcl).
variants        = { a = "arn:aws:personalize:::recipe/aws-user-personalization-v2", b = "arn:aws:personalize:::recipe/aws-user-personalization" }
variant_weights = { a = 70, b = 30 }

# A contract whose every value differs from the repository's (tests/fixtures/renamed-contract.json):
# runs that set contract_file to it prove each name is read from the contract, not written again.
renamed_contract_file = "tests/fixtures/renamed-contract.json"
