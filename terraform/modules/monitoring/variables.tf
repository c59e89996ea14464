# Shared inputs of the stack (the same plain variables in every module): name, region, account_id,
# kms_key_arn, contract_file.

variable "name" {
  description = "Name prefix of the stack."
  type        = string
}

variable "region" {
  description = "Region (dashboard widgets)."
  type        = string
}

variable "account_id" {
  description = "AWS account id."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the topic."
  type        = string
}

variable "contract_file" {
  description = "Contract JSON the cross-module names are read from (modules/contract); null means the repository's common/contract/recsys-contract.json. Tests point it at a renamed copy to prove every name comes from it."
  type        = string
  default     = null
}

# The module's settings (the root passes its `monitoring` object merged with its `experiment` object and the
# names of its ab_variants).
variable "settings" {
  description = <<-EOT
    alarm_emails: e-mail subscribers of the topic. iterator_age_ms: alarm threshold (ms) of the consumer lag, the
    fleet's maximum MillisBehindLatest (contract metrics.consumer_lag; the name is kept from the iterator-age alarm). api_p99_latency_ms: alarm threshold of the API's p99 latency. experiment: the
    running A/B experiment, its id, the route its decision is taken on and the variants (one dashboard widget each).
  EOT
  type = object({
    alarm_emails       = optional(list(string), [])
    iterator_age_ms    = optional(number, 120000)
    api_p99_latency_ms = optional(number, 500)
    experiment = object({
      id       = string
      route    = string
      variants = list(string)
    })
  })
  nullable = false

  validation {
    condition     = length(var.settings.experiment.variants) >= 1
    error_message = "settings.experiment: the experiment needs at least one variant."
  }
}

# Wiring: what is watched, from the outputs of the other modules (plus the fleet's minimum task count and the
# number of Redis nodes, the thresholds of the tasks-running and per-node alarms).
variable "stream_name" {
  description = "Interactions stream."
  type        = string
}

variable "bucket_name" {
  description = "Data bucket (dead-letter writes are counted with an S3 request-metrics filter)."
  type        = string
}

variable "consumer" {
  description = "kcl-consumer fleet: ECS cluster/service, log-metric namespace, minimum tasks."
  type = object({
    cluster_name      = string
    service_name      = string
    metrics_namespace = string
    min_count         = number
  })
}

variable "api" {
  description = "Serving tier: REST API name and stage, function name and alias, the namespace of the handler's EMF metrics and the routes whose answers it records as exposures (the Route dimension of ExposureDropped)."
  type = object({
    rest_api_name     = string
    stage_name        = string
    function_name     = string
    alias_name        = string
    metrics_namespace = string
    exposure_routes   = list(string)
  })
}

variable "redis" {
  description = "Redis replication group id and number of cache clusters (node ids are <id>-001, -002, ...)."
  type        = object({ replication_group_id = string, nodes = number })
}

variable "table_names" {
  description = "DynamoDB tables to watch for throttling, by role."
  type        = map(string)
}

variable "training" {
  description = "Training tier: state machine ARN, task function name, Glue job name."
  type = object({
    state_machine_arn = string
    function_name     = string
    glue_job_name     = string
  })
}
