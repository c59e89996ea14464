# Shared inputs of the stack (the same plain variables in every module): name, region, account_id, partition,
# kms_key_arn, log_retention_days, contract_file.

variable "name" {
  description = "Name prefix of the stack (also the prefix of every Personalize resource the pipeline creates)."
  type        = string
}

variable "region" {
  description = "Region of the stack."
  type        = string
}

variable "account_id" {
  description = "AWS account id."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
  default     = "aws"
}

variable "kms_key_arn" {
  description = "KMS key of the stack."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the log groups."
  type        = number
  default     = 30
}

variable "contract_file" {
  description = "Contract JSON the cross-module names are read from (modules/contract); null means the repository's common/contract/recsys-contract.json. Tests point it at a renamed copy to prove every name comes from it."
  type        = string
  default     = null
}

# The artefacts the root builds the paths of (from its `artifacts` object).
variable "training_jar_path" {
  description = "Path of the shaded training-lambda jar built by Maven."
  type        = string

  validation {
    condition     = fileexists(var.training_jar_path)
    error_message = "The training-lambda jar does not exist: build it first (./mvnw -pl training-lambda -am package)."
  }
}

variable "glue_jar_path" {
  description = "Path of the glue-job jar built by Maven."
  type        = string

  validation {
    condition     = fileexists(var.glue_jar_path)
    error_message = "The glue-job jar does not exist: build it first (./mvnw -pl glue-job -am package)."
  }
}

variable "glue_script_path" {
  description = "Path of the Scala entry script Glue runs (it calls the job's Java main)."
  type        = string

  validation {
    condition     = fileexists(var.glue_script_path)
    error_message = "The Glue entry script does not exist (glue-job/src/main/glue/GlueApp.scala)."
  }
}

variable "asl_template_path" {
  description = "Path of the ASL template (shared with the offline runner)."
  type        = string

  validation {
    condition     = fileexists(var.asl_template_path)
    error_message = "The ASL template does not exist (training-lambda/src/main/resources/statemachine/training-pipeline.asl.json)."
  }
}

# The module's settings (the root passes its `training` object merged with the variants and weights of its
# ab_variants and its `experiment` object).
variable "settings" {
  description = <<-EOT
    handler: Lambda handler of the training task function. schedule_expression: EventBridge Scheduler expression
    starting the pipeline. related_items_recipe_arn / ranking_recipe_arn: recipes of the related-items solution and
    campaign <name>-similar (GET /items/{itemId}/similar) and of the personalized-ranking solution and campaign
    <name>-ranking (POST /rankings); trending_recipe_arn: of the trending solution and campaign <name>-trending
    (GET /trending); "" trains none; null: the contract's recipes.related_items / recipes.ranking / recipes.trending.
    promotion_tolerance: quality gate, relative drop of NDCG@10 / precision@10 a new version may show against the
    live one. glue_worker_type / glue_number_of_workers: Glue workers. glue_class: entry class of the Glue job
    (--class). glue_window_hours: hours of raw events each preparation run reads. include_event_value: the dataset
    schema has EVENT_VALUE (the Glue job and the training function must agree). extra_environment: additional
    variables of the training function. variants: A/B variant => Personalize recipe ARN (one solution and campaign
    each; names similar, ranking and baseline are the pipeline's own). variant_weights: A/B variant => traffic
    percent deployed (the split the API serves until the pipeline publishes another), VARIANT_WEIGHTS.
    experiment: the A/B experiment the decision step judges, its id (the API's RECSYS_EXPERIMENT), policy
    (report|promote), the route whose results count (null: the contract's experiment.default_route), and the points
    of traffic a promotion moves. max_status_checks: how many status checks each wait loop of the pipeline makes
    before the run fails with <Stage>Timeout through the failure notification (resources every 30 s, import every
    60 s, training every 300 s, campaign every 60 s; defaults 60, 120, 96, 60: 30 min, 2 h, 8 h, 1 h), whole numbers
    in 1..1000. filters: the named Personalize filters (name => expression) the pipeline creates as <name>-<filter>
    in the dataset group; at most 10 (Personalize's quota), names of 1-23 characters a-z, 0-9, '-'.
  EOT
  type = object({
    handler                  = optional(string, "dev.recsys.training.TrainingHandler::handleRequest")
    schedule_expression      = optional(string, "cron(0 3 * * ? *)")
    related_items_recipe_arn = optional(string)
    ranking_recipe_arn       = optional(string)
    trending_recipe_arn      = optional(string)
    promotion_tolerance      = optional(number, 0.02)
    glue_worker_type         = optional(string, "G.1X")
    glue_number_of_workers   = optional(number, 2)
    glue_class               = optional(string, "GlueApp")
    glue_window_hours        = optional(number, 720)
    include_event_value      = optional(bool, true)
    extra_environment        = optional(map(string), {})
    filters                  = optional(map(string), {})
    max_status_checks = optional(object({
      resources = optional(number, 60)
      import    = optional(number, 120)
      training  = optional(number, 96)
      campaign  = optional(number, 60)
    }), {})
    variants        = map(string)
    variant_weights = map(number)
    experiment = object({
      id           = string
      policy       = optional(string, "report")
      route        = optional(string)
      promote_step = optional(number, 25)
    })
  })
  nullable = false

  validation {
    condition     = length(setintersection(keys(var.settings.variants), ["similar", "ranking", "trending", "baseline"])) == 0
    error_message = "settings.variants: names similar, ranking, trending and baseline are reserved for the pipeline's related-items, ranking, trending and baseline solutions."
  }

  validation {
    condition     = toset(keys(var.settings.variant_weights)) == toset(keys(var.settings.variants)) && sum(values(var.settings.variant_weights)) == 100 && alltrue([for w in values(var.settings.variant_weights) : w >= 0 && floor(w) == w])
    error_message = "settings.variant_weights needs an integer weight for every variant, adding up to 100."
  }

  validation {
    condition = (can(regex("^[A-Za-z0-9][A-Za-z0-9_.:@/+=-]{0,127}$", var.settings.experiment.id)) && contains(["report", "promote"], var.settings.experiment.policy) &&
      (var.settings.experiment.route == null || contains([for r in values(module.contract.api.routes) : r.template if r.exposure], coalesce(var.settings.experiment.route, "-"))) &&
    var.settings.experiment.promote_step >= 1 && var.settings.experiment.promote_step <= 100 && floor(var.settings.experiment.promote_step) == var.settings.experiment.promote_step)
    error_message = "settings.experiment: id an EventLimits id, policy report or promote, route an exposure route, promote_step an integer in 1..100."
  }

  validation {
    condition = length(var.settings.filters) <= 10 && alltrue([for k, v in var.settings.filters :
    can(regex("^[a-z0-9][a-z0-9-]{0,22}$", k)) && can(regex("^(?i)\\s*(INCLUDE|EXCLUDE)\\s+ItemID\\s+WHERE\\s", v)) && length(v) <= 2500])
    error_message = "settings.filters: at most 10, names of 1-23 characters a-z, 0-9, '-', each expression INCLUDE|EXCLUDE ItemID WHERE ... of at most 2500 characters."
  }

  validation {
    condition     = alltrue([for k, v in var.settings.max_status_checks : v != null && floor(v) == v && v >= 1 && v <= 1000])
    error_message = "settings.max_status_checks: resources, import, training and campaign must be whole numbers in 1..1000 (status checks of each wait loop before the run times out)."
  }

  validation {
    condition     = var.settings.related_items_recipe_arn == null ? true : var.settings.related_items_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.settings.related_items_recipe_arn))
    error_message = "settings.related_items_recipe_arn must be a Personalize recipe ARN or \"\"."
  }

  validation {
    condition     = var.settings.trending_recipe_arn == null ? true : var.settings.trending_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.settings.trending_recipe_arn))
    error_message = "settings.trending_recipe_arn must be a Personalize recipe ARN or \"\"."
  }

  validation {
    condition     = var.settings.ranking_recipe_arn == null ? true : var.settings.ranking_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.settings.ranking_recipe_arn))
    error_message = "settings.ranking_recipe_arn must be a Personalize recipe ARN or \"\"."
  }
}

# Wiring: outputs of the storage and monitoring modules.
variable "bucket" {
  description = "Name and ARN of the data bucket."
  type        = object({ name = string, arn = string })
}

variable "experiments_table" {
  description = "Name and ARN of the experiments (results) table the decision step reads."
  type        = object({ name = string, arn = string })
}

variable "sns_topic_arn" {
  description = "Topic the pipeline reports success and failure to."
  type        = string
}
