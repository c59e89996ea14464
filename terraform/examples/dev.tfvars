# Development: small, cheap, easy to tear down. terraform apply -var-file=examples/dev.tfvars from terraform/,
# or as its own root configuration: terraform -chdir=examples/dev init && terraform -chdir=examples/dev apply
name        = "recsys-dev"
environment = "dev"
region      = "eu-west-1"

network = {
  az_count           = 2
  egress_mode        = "nat" # one NAT gateway is cheaper than nine interface endpoints x 2 AZs
  single_nat_gateway = true
}

streaming = {
  mode            = "PROVISIONED"
  shard_count     = 2
  retention_hours = 24
}

storage = {
  deletion_protection = false
  raw_retention_days  = 120
  redis_node_type     = "cache.t4g.micro"
  redis_replicas      = 2
}

consumer = {
  image_tag = "0.1.0-SNAPSHOT" # the tag you pushed (see docs/deploy)
  cpu       = 512
  memory    = 1024
  min_count = 1
  max_count = 2
}

api = {
  memory_mb             = 1024
  reserved_concurrency  = 10
  clients               = ["dev"]
  throttle_rate         = 20
  throttle_burst        = 40
  quota_per_day         = 100000
  fallback_static_items = ["item-1", "item-2", "item-3"]
  # The web app's origin: its pages may call the API (and read the gateway's own errors).
  cors_origins = ["http://localhost:3000"]
  # Caller identity: a Cognito pool of its own; the hosted domain serves the token endpoint.
  auth = {
    callback_urls          = ["http://localhost:3000/callback"]
    logout_urls            = ["http://localhost:3000/"]
    domain_prefix          = "recsys-dev-example"
    deletion_protection    = false
    advanced_security_mode = "OFF"
  }
}

# Small traffic: decide (and promote) on far fewer users than the production defaults.
experiment = {
  id            = "dev-ab-1"
  policy        = "promote"
  promote_step  = 50
  min_users     = 50
  min_exposures = 200
}

training = {
  schedule_expression    = "rate(7 days)"
  glue_number_of_workers = 2
}

log_retention_days = 7
monitoring = {
  alarm_emails = []
}
