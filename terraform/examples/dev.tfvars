# Development: small, cheap, easy to tear down. terraform apply -var-file=examples/dev.tfvars
name        = "recsys-dev"
environment = "dev"
region      = "eu-west-1"

az_count           = 2
egress_mode        = "nat" # one NAT gateway is cheaper than nine interface endpoints x 2 AZs
single_nat_gateway = true

kinesis_stream_mode     = "PROVISIONED"
kinesis_shard_count     = 2
kinesis_retention_hours = 24

deletion_protection = false
raw_retention_days  = 120
redis_node_type     = "cache.t4g.micro"
redis_replicas      = 2

consumer_image_tag = "0.1.0-SNAPSHOT" # the tag you pushed (see docs/deploy)
consumer_cpu       = 512
consumer_memory    = 1024
consumer_min_count = 1
consumer_max_count = 2

api_lambda_memory_mb      = 1024
api_reserved_concurrency  = 10
api_clients               = ["dev"]
api_throttle_rate         = 20
api_throttle_burst        = 40
api_quota_per_day         = 100000
api_fallback_static_items = ["item-1", "item-2", "item-3"]

# Small traffic: decide (and promote) on far fewer users than the production defaults.
experiment_id            = "dev-ab-1"
experiment_policy        = "promote"
experiment_promote_step  = 50
experiment_min_users     = 50
experiment_min_exposures = 200

training_schedule_expression = "rate(7 days)"
glue_number_of_workers       = 2

log_retention_days = 7
alarm_emails       = []
