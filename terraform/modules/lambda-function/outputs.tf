output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "ARN of the function (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "version" {
  description = "Published version ($LATEST when nothing is published)."
  value       = aws_lambda_function.this.version
}

output "alias_name" {
  description = "Name of the alias (null without one)."
  value       = one(aws_lambda_alias.this[*].name)
}

output "alias_version" {
  description = "Version the alias points at (null without one)."
  value       = one(aws_lambda_alias.this[*].function_version)
}

output "alias_invoke_arn" {
  description = "Invoke ARN of the alias, for API Gateway integrations (null without one)."
  value       = one(aws_lambda_alias.this[*].invoke_arn)
}

output "role_arn" {
  description = "ARN of the execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "trust_policy" {
  description = "Trust policy JSON of the execution role."
  value       = local.trust_policy
}

output "policy" {
  description = "Inline policy JSON of the execution role, as applied (for review and tests)."
  value       = aws_iam_role_policy.this.policy
}

output "settings" {
  description = "The deployed settings, for review and tests: runtime, handler, memory, timeout, reserved concurrency, publish, SnapStart, tracing, VPC subnets, KMS keys of function, log group and jar."
  value = {
    runtime              = aws_lambda_function.this.runtime
    handler              = aws_lambda_function.this.handler
    memory_mb            = aws_lambda_function.this.memory_size
    timeout_seconds      = aws_lambda_function.this.timeout
    reserved_concurrency = aws_lambda_function.this.reserved_concurrent_executions
    publish              = aws_lambda_function.this.publish
    snap_start           = [for s in aws_lambda_function.this.snap_start : s.apply_on]
    tracing_mode         = aws_lambda_function.this.tracing_config[0].mode
    subnet_ids           = flatten([for v in aws_lambda_function.this.vpc_config : v.subnet_ids])
    kms_key_arn          = aws_lambda_function.this.kms_key_arn
    log_group_kms_key_id = aws_cloudwatch_log_group.this.kms_key_id
    artifact_kms_key_id  = aws_s3_object.artifact.kms_key_id
    artifact_key         = aws_s3_object.artifact.key
  }
}
