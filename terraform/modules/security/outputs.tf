output "kms_key_arn" {
  description = "ARN of the stack's customer-managed KMS key."
  value       = aws_kms_key.this.arn
}

output "kms_key_id" {
  description = "Id of the stack's customer-managed KMS key."
  value       = aws_kms_key.this.key_id
}

output "redis_auth_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the Redis AUTH token (plain string)."
  value       = aws_secretsmanager_secret.redis_auth.arn
}

output "redis_auth_token" {
  description = "The Redis AUTH token, for the replication group."
  value       = aws_secretsmanager_secret_version.redis_auth.secret_string
  sensitive   = true
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = {
    "security/kms-key-policy" = aws_kms_key.this.policy
  }
}
