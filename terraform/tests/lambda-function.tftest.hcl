# modules/lambda-function on its own: what it refuses before anything is uploaded.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_name    = "recsys-probe"
  handler          = "dev.recsys.Probe::handleRequest"
  memory_mb        = 512
  timeout_seconds  = 10
  kms_key_arn      = var.kms_key_arn
  role_name_prefix = "recsys-probe-"
  policy_name      = "probe"
  artifact         = { path = "tests/fixtures/placeholder.jar", bucket = "recsys-data", key_prefix = "artifacts/probe/" }
}

run "accepts_a_non_empty_artifact" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  assert {
    condition     = aws_s3_object.artifact.key == "artifacts/probe/placeholder.jar"
    error_message = "A non-empty artefact is uploaded under its key prefix."
  }
}

# A failed build can leave a zero-byte jar behind: refused at plan, for every function of the stack.
run "rejects_a_zero_byte_artifact" {
  command = plan

  module {
    source = "./modules/lambda-function"
  }

  variables {
    artifact = { path = "tests/fixtures/empty.jar", bucket = "recsys-data", key_prefix = "artifacts/probe/" }
  }

  expect_failures = [var.artifact]
}
