output "vpc_id" {
  description = "VPC id."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Private subnet ids, one per AZ."
  value       = aws_subnet.private[*].id
}

output "consumer_security_group_id" {
  description = "Security group of the kcl-consumer tasks."
  value       = aws_security_group.consumer.id
}

output "api_security_group_id" {
  description = "Security group of the api-lambda ENIs."
  value       = aws_security_group.api.id
}

output "redis_security_group_id" {
  description = "Security group of the Redis replication group."
  value       = aws_security_group.redis.id
}

output "interface_endpoints" {
  description = "Interface endpoint services created (empty in NAT mode)."
  value       = sort(keys(aws_vpc_endpoint.interface))
}

output "nat_gateway_count" {
  description = "NAT gateways created (0 in endpoints mode)."
  value       = length(aws_nat_gateway.this)
}

output "policy_documents" {
  description = "Policy JSON documents created by this module, for review and tests."
  value = merge(
    {
      "network/flow-logs-trust"   = local.flow_trust
      "network/flow-logs-policy"  = local.flow_policy
      "network/s3-endpoint"       = local.gateway_endpoint_policies.s3
      "network/dynamodb-endpoint" = local.gateway_endpoint_policies.dynamodb
    },
    # Interface endpoint policies of the endpoints created (none in NAT mode).
    { for svc in keys(aws_vpc_endpoint.interface) : "network/${svc}-endpoint" => local.interface_endpoint_policies[svc] if contains(keys(local.interface_endpoint_policies), svc) },
  )
}
