output "stream_name" {
  description = "Name of the interactions stream."
  value       = aws_kinesis_stream.this.name
}

output "stream_arn" {
  description = "ARN of the interactions stream."
  value       = aws_kinesis_stream.this.arn
}
