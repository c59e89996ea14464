output "sns_topic_arn" {
  description = "Alerts and training notifications topic."
  value       = aws_sns_topic.alerts.arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard name."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarms_by_component" {
  description = "Alarm names per component (streaming, ingest-fleet, storage, cache, serving, training)."
  value       = local.alarms_by_component
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = {
    "monitoring/topic-policy" = local.topic_policy
  }
}
