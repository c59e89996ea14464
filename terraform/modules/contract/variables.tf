variable "contract_file" {
  description = "Path of the contract JSON; null means common/contract/recsys-contract.json of this repository."
  type        = string
  default     = null

  validation {
    condition     = var.contract_file == null || try(fileexists(var.contract_file), false)
    error_message = "contract_file must name an existing file."
  }
}

variable "name" {
  description = "Stack name prefix; when set, output table_names gives <name>-<suffix> for every table of the contract."
  type        = string
  default     = null
}
