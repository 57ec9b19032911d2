#!/usr/bin/env bash
# The demo's stand-in for the runbooks' `prod_preflight_check.py`: the seeds' convention, exit
# 0=PASS 1=WARN 2=FAIL, a `VERDICT:` line, and a JSON result file for the evidence.
#   bash scripts/prod_preflight_check.sh --env production --result <file>
set -euo pipefail

env_name='' result=''
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_name=$2; shift 2 ;;
    --result) result=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

failed=0 warned=0 checks=()
check() { # name status detail
  checks+=("{\"check\":\"$1\",\"status\":\"$2\"}")
  echo "[$2] $1: $3"
  case "$2" in FAIL) failed=$((failed + 1)) ;; WARN) warned=$((warned + 1)) ;; esac
}

[ "$env_name" = production ] && check environment PASS "running against production" || check environment FAIL "--env is '$env_name', not production"
[ "${BOOTSTRAP_ENABLED:-false}" = false ] && check bootstrap PASS "BOOTSTRAP_ENABLED=false" || check bootstrap FAIL "BOOTSTRAP_ENABLED must be false in production"
case "${PSP_LIVE_KEY:-}" in
  '') check psp-key FAIL "PSP_LIVE_KEY is not set" ;;
  sk_test_*) check psp-key FAIL "PSP_LIVE_KEY is a test key ($PSP_LIVE_KEY)" ;;
  *) check psp-key PASS "PSP_LIVE_KEY is a live key" ;;
esac
[ -n "${WEBHOOK_SECRET:-}" ] && [ "${#WEBHOOK_SECRET}" -ge 16 ] && check webhook-secret PASS "set, ${#WEBHOOK_SECRET} characters" || check webhook-secret FAIL "WEBHOOK_SECRET is missing or shorter than 16 characters"

if [ -n "$result" ]; then
  mkdir -p "$(dirname "$result")"
  (IFS=,; printf '{"env":"%s","failed":%d,"warned":%d,"checks":[%s]}\n' "$env_name" "$failed" "$warned" "${checks[*]}") > "$result"
fi

if [ "$failed" -gt 0 ]; then echo "VERDICT: FAIL"; exit 2; fi
if [ "$warned" -gt 0 ]; then echo "VERDICT: WARN"; exit 1; fi
echo "VERDICT: PASS"
