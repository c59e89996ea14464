# Caller identity: a Cognito user pool (or the caller's own) issues the tokens the gateway's authorizer checks.
# The resource server and its two scopes are the contract's api.auth (the handler reads the same names): an
# end-user token carries <rs>/<user_scope> and is answered only for the user its claim names; a machine token
# (client credentials) carries <rs>/<any_user_scope> and may ask for any user. API keys stay what they were:
# metering and throttling per client, not identity.

locals {
  auth = var.settings.auth

  create_pool   = local.auth.user_pool_arn == null
  user_pool_arn = local.create_pool ? aws_cognito_user_pool.this[0].arn : local.auth.user_pool_arn
  # arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>
  user_pool_id = local.create_pool ? aws_cognito_user_pool.this[0].id : element(split("/", local.auth.user_pool_arn), 1)
  pool_region  = local.create_pool ? var.region : element(split(":", local.auth.user_pool_arn), 3)

  resource_server = module.contract.api.auth.resource_server
  user_scope      = "${local.resource_server}/${module.contract.api.auth.user_scope}"
  any_user_scope  = "${local.resource_server}/${module.contract.api.auth.any_user_scope}"

  # Per contract auth value: the method's authorization and the scopes any one of which the token must carry (the
  # contract's api.auth.route_scopes, which the handler and the local adapter check too).
  scope_by_key = { user_scope = local.user_scope, any_user_scope = local.any_user_scope }
  route_authorization = merge(
    { for caller, keys in module.contract.api.auth.route_scopes : caller => { type = "COGNITO_USER_POOLS", scopes = [for k in keys : local.scope_by_key[k]] } },
    { none = { type = "NONE", scopes = [] } },
  )
}

resource "aws_cognito_user_pool" "this" {
  count               = local.create_pool ? 1 : 0
  name                = "${var.name}-users"
  deletion_protection = local.auth.deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration   = "OPTIONAL"
  # Threat protection (advanced security) needs the Plus tier; OFF keeps the cheaper Essentials tier.
  user_pool_tier = local.auth.advanced_security_mode == "OFF" ? "ESSENTIALS" : "PLUS"
  # The username is the application's user id: Cognito puts it in the access token's `username` claim, which the
  # handler compares with the {userId} asked for. With username_attributes = ["email"] that claim would be a generated
  # UUID; email is a sign-in alias instead.
  alias_attributes         = ["email"]
  auto_verified_attributes = ["email"]

  software_token_mfa_configuration {
    enabled = true
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  user_pool_add_ons {
    advanced_security_mode = local.auth.advanced_security_mode
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = local.auth.admin_create_user_only
  }
}

resource "aws_cognito_resource_server" "api" {
  user_pool_id = local.user_pool_id
  identifier   = local.resource_server
  name         = "${var.name}-api"

  scope {
    scope_name        = module.contract.api.auth.user_scope
    scope_description = "Recommendations for the signed-in user only"
  }

  scope {
    scope_name        = module.contract.api.auth.any_user_scope
    scope_description = "Recommendations for any user and the experiment results (trusted back ends)"
  }
}

resource "aws_cognito_user_pool_domain" "this" {
  count        = local.auth.domain_prefix == null ? 0 : 1
  domain       = local.auth.domain_prefix
  user_pool_id = local.user_pool_id
}

# Browsers and apps: authorization code with PKCE, a public client (no secret), never the any-user scope.
resource "aws_cognito_user_pool_client" "user" {
  name                                 = "${var.name}-end-user"
  user_pool_id                         = local.user_pool_id
  generate_secret                      = false
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", local.user_scope]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = local.auth.callback_urls
  logout_urls                          = local.auth.logout_urls
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true

  # The scopes must exist on the resource server before a client may be allowed them.
  depends_on = [aws_cognito_resource_server.api]
}

# Trusted back ends: client credentials with a secret (read it from Cognito, never from Terraform outputs).
resource "aws_cognito_user_pool_client" "machine" {
  name                                 = "${var.name}-machine"
  user_pool_id                         = local.user_pool_id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["client_credentials"]
  allowed_oauth_scopes                 = [local.any_user_scope]
  supported_identity_providers         = ["COGNITO"]
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true

  depends_on = [aws_cognito_resource_server.api]
}

resource "aws_api_gateway_authorizer" "cognito" {
  name            = "${var.name}-cognito"
  rest_api_id     = aws_api_gateway_rest_api.this.id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [local.user_pool_arn]
  identity_source = "method.request.header.Authorization"
}
