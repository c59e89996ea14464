output "kms_key_arn" {
  description = "ARN of the stack's customer-managed KMS key."
  value       = aws_kms_key.this.arn
}

output "kms_key_id" {
  description = "Id of the stack's customer-managed KMS key."
  value       = aws_kms_key.this.key_id
}


output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = {
    "security/kms-key-policy" = aws_kms_key.this.policy
  }
}
