#!/usr/bin/env bash
# The script of action.yml: `contracts check` against the pull request's
# base, as GitHub annotations on stdout, with the Markdown report appended
# to the job summary ($GITHUB_STEP_SUMMARY). Exits as `contracts check`
# does: 0 fine, 1 a breaking change, 2 a usage or input error.
# Inputs come from the environment (never spliced into the command line):
#   CONTRACTS                   the binary (default: `contracts` on PATH)
#   CONTRACTS_BASE              the revision (default: origin/$GITHUB_BASE_REF, else HEAD~1)
#   CONTRACTS_CONFIG            the config (default: contracts.toml)
#   CONTRACTS_FAIL_ON_CONSUMED  `true` adds --fail-on-consumed
set -uo pipefail

contracts="${CONTRACTS:-contracts}"
base="${CONTRACTS_BASE:-}"
if [ -z "$base" ]; then
  if [ -n "${GITHUB_BASE_REF:-}" ]; then base="origin/$GITHUB_BASE_REF"; else base="HEAD~1"; fi
fi
args=(check "--base=$base" "--config=${CONTRACTS_CONFIG:-contracts.toml}")
if [ "${CONTRACTS_FAIL_ON_CONSUMED:-false}" = "true" ]; then
  args+=(--fail-on-consumed)
fi

"$contracts" "${args[@]}" --format github
status=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "$status" -ne 2 ]; then
  "$contracts" "${args[@]}" --format markdown >> "$GITHUB_STEP_SUMMARY"
fi
exit "$status"
