# The cross-module names (object keys and prefixes, table key attributes and name suffixes, metric
# names) as the repository defines them once, in common/contract/recsys-contract.json. Java loads the
# same file; a rename there reaches both sides. No resources: only the decoded document.

locals {
  path     = coalesce(var.contract_file, "${path.module}/../../../common/contract/recsys-contract.json")
  contract = jsondecode(file(local.path))

  table_names = var.name == null ? {} : { for k, t in local.contract.tables : k => "${var.name}-${t.suffix}" }
}
