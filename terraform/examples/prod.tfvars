# Production: three AZs, no internet path (VPC endpoints), protected data, autoscaled fleet.
# terraform apply -var-file=examples/prod.tfvars from terraform/, or: terraform -chdir=examples/prod init && ... apply
name        = "recsys"
environment = "prod"
region      = "eu-west-1"

network = {
  az_count    = 3
  egress_mode = "endpoints"
}

streaming = {
  mode            = "ON_DEMAND"
  shard_count     = 8 # plan the fleet for the shard count on-demand grows to
  retention_hours = 168
}

storage = {
  deletion_protection        = true
  raw_retention_days         = 365
  dead_letter_retention_days = 90
  redis_node_type            = "cache.r7g.large"
  redis_replicas             = 3
}

consumer = {
  image_tag              = "1.0.0"
  cpu                    = 1024
  memory                 = 2048
  min_count              = 2
  max_count              = 8
  iterator_age_target_ms = 30000
}

api = {
  memory_mb             = 1536
  reserved_concurrency  = 300
  clients               = ["web", "mobile", "email"]
  throttle_rate         = 500
  throttle_burst        = 1000
  quota_per_day         = 50000000
  fallback_static_items = ["item-1", "item-2", "item-3", "item-4", "item-5"]
  # The web app's origin: its pages may call the API (and read the gateway's own errors).
  cors_origins = ["https://app.example.com"]
  # Caller identity: Cognito with threat protection enforced and deletion protection on (the defaults).
  auth = {
    callback_urls = ["https://app.example.com/auth/callback"]
    logout_urls   = ["https://app.example.com/"]
    domain_prefix = "recsys-prod-example"
  }
}

ab_variants = {
  a = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization-v2" }
  b = { weight = 50, recipe_arn = "arn:aws:personalize:::recipe/aws-user-personalization" }
}
# The online A/B experiment: a new id reshuffles users and restarts the statistics. "report" only
# announces a winner on SNS; "promote" moves promote_step points of traffic to it per run.
experiment = {
  id                     = "recs-ab-1"
  policy                 = "report"
  click_event_types      = ["click"]
  conversion_event_types = ["purchase"]
  attribution_window     = "30m"
}

training = {
  schedule_expression    = "cron(0 3 * * ? *)"
  promotion_tolerance    = 0.02
  glue_number_of_workers = 4
}

log_retention_days = 90
monitoring = {
  alarm_emails       = ["oncall@example.com"]
  iterator_age_ms    = 60000
  api_p99_latency_ms = 300
}
