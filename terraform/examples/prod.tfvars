# Production: three AZs, no internet path (VPC endpoints), protected data, autoscaled fleet.
name        = "recsys"
environment = "prod"
region      = "eu-west-1"

az_count    = 3
egress_mode = "endpoints"

kinesis_stream_mode     = "ON_DEMAND"
kinesis_shard_count     = 8 # plan the fleet for the shard count on-demand grows to
kinesis_retention_hours = 168

deletion_protection        = true
raw_retention_days         = 365
dead_letter_retention_days = 90
redis_node_type            = "cache.r7g.large"
redis_replicas             = 3

consumer_image_tag              = "1.0.0"
consumer_cpu                    = 1024
consumer_memory                 = 2048
consumer_min_count              = 2
consumer_max_count              = 8
consumer_iterator_age_target_ms = 30000

api_lambda_memory_mb      = 1536
api_reserved_concurrency  = 300
api_clients               = ["web", "mobile", "email"]
api_throttle_rate         = 500
api_throttle_burst        = 1000
api_quota_per_day         = 50000000
api_fallback_static_items = ["item-1", "item-2", "item-3", "item-4", "item-5"]

ab_variants = {
  a = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization-v2" }
  b = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization" }
}
# The online A/B experiment: a new id reshuffles users and restarts the statistics. "report" only
# announces a winner on SNS; "promote" moves experiment_promote_step points of traffic to it per run.
experiment_id                     = "recs-ab-1"
experiment_policy                 = "report"
experiment_click_event_types      = ["click"]
experiment_conversion_event_types = ["purchase"]
experiment_attribution_window     = "30m"

training_schedule_expression = "cron(0 3 * * ? *)"
training_promotion_tolerance = 0.02
glue_number_of_workers       = 4

log_retention_days       = 90
alarm_emails             = ["oncall@example.com"]
alarm_iterator_age_ms    = 60000
alarm_api_p99_latency_ms = 300
