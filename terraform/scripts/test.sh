#!/usr/bin/env bash
# Offline proof of the Terraform: fmt -check, init (plugin mirror when present), validate, and
# `terraform test` (mock provider, no AWS account); then each examples/<env>/ root configuration is
# initialised and validated on its own. Exits non-zero on any failure and ends with one summary line.
#
#   terraform/scripts/test.sh                # everything, incl. the real ASL and the built jars
#   terraform/scripts/test.sh --no-artifacts # skip tests/artifacts.tftest.hcl (before the Maven build)
#   terraform/scripts/test.sh --suite serving # init, then tests/serving.tftest.hcl alone (the developer loop)
#
# tests/known-issues.tftest.hcl, when present, holds tests of fixes still to be made: they run every time, are
# expected to fail (reported by name) and fail the script once they pass.
set -uo pipefail

tf_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plugin_dir="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
check_artifacts=1
only_suite=""
usage() { echo "usage: $0 [--no-artifacts] [--suite NAME]  (NAME: a file of tests/, e.g. serving for tests/serving.tftest.hcl)" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --no-artifacts) check_artifacts=0 ;;
    --suite) (($# > 1)) || usage; only_suite="${2%.tftest.hcl}"; shift ;;
    *) usage ;;
  esac
  shift
done
if [[ -n "$only_suite" && ! -f "$tf_dir/tests/$only_suite.tftest.hcl" ]]; then
  echo "no suite tests/$only_suite.tftest.hcl; suites: $(cd "$tf_dir/tests" && ls *.tftest.hcl | sed 's/.tftest.hcl//' | tr '\n' ' ')" >&2
  exit 2
fi

command -v terraform >/dev/null || { echo "terraform: FAIL (terraform not on PATH)"; exit 1; }

# Keep runs hermetic: private data dir, no user CLI config, no prompts, no colours.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TF_DATA_DIR="$work/data" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE="$work/terraformrc"
echo "disable_checkpoint = true" > "$TF_CLI_CONFIG_FILE"

passed=() failed=()
step() { # step <name> <command...>
  local name="$1"; shift
  local log="$work/$(echo "$name" | tr ' /' '__').log"
  local t0=$SECONDS
  if (cd "$tf_dir" && "$@") >"$log" 2>&1; then
    passed+=("$name"); printf '  ok    %-30s %4ss  %s\n' "$name" $((SECONDS - t0)) "$(grep -o 'Success! [0-9]* passed' "$log" | tail -1)"
  else
    failed+=("$name"); printf '  FAIL  %-30s %4ss\n' "$name" $((SECONDS - t0))
    sed 's/^/        | /' "$log" | tail -60
  fi
}

init_args=(-backend=false -input=false -no-color)
if [[ -d "$plugin_dir" ]]; then
  init_args+=("-plugin-dir=$plugin_dir")   # offline mirror; users with internet use the registry
fi
# init writes .terraform.lock.hcl next to the config; the repo commits none, so leave it as found.
lock_backup=""
[[ -f "$tf_dir/.terraform.lock.hcl" ]] && lock_backup="$(cat "$tf_dir/.terraform.lock.hcl")"

echo "terraform $(terraform version | head -1 | awk '{print $2}') in $tf_dir"
if [[ -n "$only_suite" ]]; then
  step "init"                 terraform init "${init_args[@]}"
  step "test $only_suite"     terraform test -no-color -filter="tests/$only_suite.tftest.hcl"
  [[ -n "$lock_backup" ]] && printf '%s\n' "$lock_backup" > "$tf_dir/.terraform.lock.hcl" || rm -f "$tf_dir/.terraform.lock.hcl"
  ((${#failed[@]} == 0)) && { echo "terraform: ok — tests/$only_suite.tftest.hcl"; exit 0; }
  echo "terraform: FAIL — tests/$only_suite.tftest.hcl"; exit 1
fi
step "fmt -check -recursive" terraform fmt -check -recursive -diff -no-color
step "init"                  terraform init "${init_args[@]}"
step "validate"              terraform validate -no-color

# The modules have no tests of their own: tests/*.tftest.hcl exercise each one through `run`
# blocks with `module { source = "./modules/<name>" }`, so one init covers everything.
# One `terraform test` for the mock-provider suites (provider start-up is the slow part), then
# each example tfvars, then the artefact check that needs the Maven build.
suites=()
for f in "$tf_dir"/tests/*.tftest.hcl; do
  case "$(basename "$f")" in examples.tftest.hcl|artifacts.tftest.hcl|known-issues.tftest.hcl) ;; *) suites+=(-filter="tests/$(basename "$f")") ;; esac
done
step "test (${#suites[@]} suites)" terraform test -no-color "${suites[@]}"
# tests/known-issues.tftest.hcl: invariants not met yet, run every time. Each of its runs is expected to fail
# (reported, not counted); one that passes fails this step: the issue is fixed, move the run into its suite.
known_issues() {
  local out rc=0
  out="$(terraform test -no-color -filter=tests/known-issues.tftest.hcl 2>&1)" || rc=$?
  printf '%s\n' "$out"
  local passing; passing="$(grep -E '^  run "[^"]+"\.\.\. pass$' <<<"$out" | sed 's/^  run "\([^"]*\)".*/\1/')"
  if [[ -n "$passing" ]]; then echo "known issue(s) now pass, move them into their suite: $passing"; return 1; fi
  ((rc != 0)) || { echo "known-issues.tftest.hcl passed as a whole: nothing is known to fail any more"; return 1; }
  grep -q 'Test assertion failed' <<<"$out" || { echo "known-issues.tftest.hcl failed for another reason than its assertions"; return 1; }
}
known_log="$work/known_issues.log"
if [[ ! -f "$tf_dir/tests/known-issues.tftest.hcl" ]]; then
  : >"$known_log"; echo "  ok    known issues                          none (no tests/known-issues.tftest.hcl)"
elif (cd "$tf_dir" && known_issues) >"$known_log" 2>&1; then
  passed+=("known issues"); printf '  ok    %-30s        %s\n' "known issues (expected FAIL)" "$(grep -cE '^  run "[^"]+"\.\.\. fail$' "$known_log") run(s) still failing: $(grep -oE '^  run "[^"]+"\.\.\. fail$' "$known_log" | sed 's/^  run "\([^"]*\)".*/\1/' | tr '\n' ' ')"
else
  failed+=("known issues"); printf '  FAIL  %-30s\n' "known issues"; sed 's/^/        | /' "$known_log" | tail -30
fi
for ex in "$tf_dir"/examples/*.tfvars; do
  step "test examples/$(basename "$ex")" terraform test -no-color -filter=tests/examples.tftest.hcl -var-file="examples/$(basename "$ex")"
done
# Each example directory is a root configuration of its own (module "recsys" { source = "../.." } with
# the values of its terraform.tfvars): init and validate it with a data dir of its own, and leave no
# lock file behind in it.
validate_example() { # validate_example <dir>
  local dir="$1" rc=0
  # Remote state on by default (issue: state was local): an encrypted S3 backend with its lock file.
  local backend; backend="$(sed -n '/backend "s3"/,/^  }/p' "$dir/main.tf")"
  for want in 'encrypt *= *true' 'use_lockfile *= *true'; do
    grep -qE "$want" <<<"$backend" || { echo "$dir/main.tf: the s3 backend must set ${want// \*/} (remote state, encrypted and locked)"; return 1; }
  done
  TF_DATA_DIR="$work/example-$(basename "$dir")" terraform -chdir="$dir" init "${init_args[@]}" >/dev/null || rc=$?
  ((rc == 0)) && { TF_DATA_DIR="$work/example-$(basename "$dir")" terraform -chdir="$dir" validate -no-color || rc=$?; }
  rm -f "$dir/.terraform.lock.hcl"
  return $rc
}
for ex in "$tf_dir"/examples/*/; do
  step "validate examples/$(basename "$ex")/" validate_example "examples/$(basename "$ex")"
done
if [[ $check_artifacts == 1 ]]; then
  step "test artifacts (after build)" terraform test -no-color -filter=tests/artifacts.tftest.hcl
else
  echo "  skip  tests/artifacts.tftest.hcl (--no-artifacts)"
fi

if [[ -n "$lock_backup" ]]; then printf '%s\n' "$lock_backup" > "$tf_dir/.terraform.lock.hcl"; else rm -f "$tf_dir/.terraform.lock.hcl"; fi

if ((${#failed[@]})); then
  echo "terraform: FAIL — ${#failed[@]} of $(( ${#passed[@]} + ${#failed[@]} )) steps failed: ${failed[*]}"
  exit 1
fi
runs="$(grep -ho '^run "' "$tf_dir"/tests/*.tftest.hcl | wc -l)"
known_failing="$(grep -cE '^  run "[^"]+"\.\.\. fail$' "$known_log" 2>/dev/null || true)"
echo "terraform: OK — ${#passed[@]} steps passed (fmt, init, validate; $(ls "$tf_dir"/tests/*.tftest.hcl | wc -l) test files / $runs runs over $(ls -d "$tf_dir"/modules/*/ | wc -l) modules; $(ls "$tf_dir"/examples/*.tfvars | wc -l) examples, each applied (mocked) and validated as examples/<env>/; ${known_failing} known issue(s) still failing)"
