output "stream_name" {
  description = "Name of the interactions stream."
  value       = aws_kinesis_stream.this.name
}

output "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the stream (producers need kms:GenerateDataKey on it)."
  value       = aws_kinesis_stream.this.kms_key_id
}

output "stream_arn" {
  description = "ARN of the interactions stream."
  value       = aws_kinesis_stream.this.arn
}

output "producer_policy_arn" {
  description = "Managed policy a producer's role attaches to write to the stream: kinesis:PutRecord/PutRecords on it and kms:GenerateDataKey on its key through Kinesis only."
  value       = aws_iam_policy.producer.arn
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value       = { "streaming/producer-policy" = local.producer_policy }
}
