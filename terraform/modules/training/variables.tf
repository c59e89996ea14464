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

variable "bucket" {
  description = "Name and ARN of the data bucket."
  type        = object({ name = string, arn = string })
}

variable "training_jar_path" {
  description = "Path of the shaded training-lambda jar built by Maven."
  type        = string

  validation {
    condition     = fileexists(var.training_jar_path)
    error_message = "The training-lambda jar does not exist: build it first (./mvnw -pl training-lambda -am package)."
  }
}

variable "training_handler" {
  description = "Lambda handler of the training task function."
  type        = string
  default     = "dev.recsys.training.TrainingHandler::handleRequest"
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

variable "glue_class" {
  description = "Entry class of the Glue job (--class)."
  type        = string
  default     = "GlueApp"
}

variable "glue_worker_type" {
  description = "Glue worker type."
  type        = string
  default     = "G.1X"
}

variable "glue_number_of_workers" {
  description = "Glue workers."
  type        = number
  default     = 2
}

variable "glue_window_hours" {
  description = "Hours of raw events each preparation run reads."
  type        = number
  default     = 720
}

variable "asl_template_path" {
  description = "Path of the ASL template (shared with the offline runner)."
  type        = string

  validation {
    condition     = fileexists(var.asl_template_path)
    error_message = "The ASL template does not exist (training-lambda/src/main/resources/statemachine/training-pipeline.asl.json)."
  }
}

variable "sns_topic_arn" {
  description = "Topic the pipeline reports success and failure to."
  type        = string
}

variable "variants" {
  description = "A/B variant => Personalize recipe ARN (one solution and campaign each). Names similar, ranking and baseline are the pipeline's own."
  type        = map(string)

  validation {
    condition     = length(setintersection(keys(var.variants), ["similar", "ranking", "baseline"])) == 0
    error_message = "Variant names similar, ranking and baseline are reserved for the pipeline's related-items, ranking and baseline solutions."
  }
}

variable "variant_weights" {
  description = "A/B variant => traffic percent deployed (the split the API serves until the pipeline publishes another): VARIANT_WEIGHTS."
  type        = map(number)

  validation {
    condition     = toset(keys(var.variant_weights)) == toset(keys(var.variants)) && sum(values(var.variant_weights)) == 100 && alltrue([for w in values(var.variant_weights) : w >= 0 && floor(w) == w])
    error_message = "variant_weights needs an integer weight for every variant, adding up to 100."
  }
}

variable "experiments_table" {
  description = "Name and ARN of the experiments (results) table the decision step reads."
  type        = object({ name = string, arn = string })
}

variable "experiment" {
  description = "The A/B experiment the decision step judges: its id (the API's RECSYS_EXPERIMENT), policy (report|promote), the route whose results count, and the points of traffic a promotion moves."
  type = object({
    id           = string
    policy       = optional(string, "report")
    route        = optional(string, "/users/{userId}/recommendations")
    promote_step = optional(number, 25)
  })

  validation {
    condition = (can(regex("^[A-Za-z0-9][A-Za-z0-9_.:@/+=-]{0,127}$", var.experiment.id)) && contains(["report", "promote"], var.experiment.policy) &&
      contains(["/users/{userId}/recommendations", "/recommendations", "/items/{itemId}/similar", "/rankings"], var.experiment.route) &&
    var.experiment.promote_step >= 1 && var.experiment.promote_step <= 100 && floor(var.experiment.promote_step) == var.experiment.promote_step)
    error_message = "experiment: id an EventLimits id, policy report or promote, route an exposure route, promote_step an integer in 1..100."
  }
}

variable "related_items_recipe_arn" {
  description = "Recipe of the related-items solution and campaign <name>-similar (GET /items/{itemId}/similar); \"\" trains none; null: the contract's recipes.related_items."
  type        = string
  default     = null

  validation {
    condition     = var.related_items_recipe_arn == null ? true : var.related_items_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.related_items_recipe_arn))
    error_message = "related_items_recipe_arn must be a Personalize recipe ARN or \"\"."
  }
}

variable "ranking_recipe_arn" {
  description = "Recipe of the personalized-ranking solution and campaign <name>-ranking (POST /rankings); \"\" trains none; null: the contract's recipes.ranking."
  type        = string
  default     = null

  validation {
    condition     = var.ranking_recipe_arn == null ? true : var.ranking_recipe_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:::recipe/[A-Za-z0-9_-]+$", var.ranking_recipe_arn))
    error_message = "ranking_recipe_arn must be a Personalize recipe ARN or \"\"."
  }
}

variable "promotion_tolerance" {
  description = "Quality gate: relative drop of NDCG@10 / precision@10 a new version may show against the live one."
  type        = number
  default     = 0.02
}

variable "include_event_value" {
  description = "The dataset schema has EVENT_VALUE (the Glue job and the training function must agree)."
  type        = bool
  default     = true
}

variable "schedule_expression" {
  description = "EventBridge Scheduler expression starting the pipeline."
  type        = string
  default     = "cron(0 3 * * ? *)"
}

variable "extra_environment" {
  description = "Additional environment variables for the training function."
  type        = map(string)
  default     = {}
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
