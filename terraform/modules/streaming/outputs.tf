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
