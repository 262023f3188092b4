#!/usr/bin/env bash
# Replays dead letters from the sluice.dlq topic back into delivery, for one organization (its
# API key), optionally one queue and/or endpoint and a time range of when the jobs died. Only
# jobs still dead-lettered are sent again, so running it twice is safe.
#
#   scripts/dlq-replay.sh --api-key=KEY [--url=http://localhost:8080] [--queue=NAME]
#                         [--endpoint=ID] [--from=2026-11-29T00:00:00Z] [--to=...] [--limit=1000]
#
# Prints Sluice's answer: {"scanned", "matched", "replayed"}; on an error answer prints it and exits non-zero.
set -euo pipefail

url=http://localhost:8080 key="" fields=()
for arg in "$@"; do
  case "$arg" in
    --api-key=*) key="${arg#*=}" ;;
    --url=*) url="${arg#*=}" ;;
    --queue=*) fields+=("\"queue_name\":\"${arg#*=}\"") ;;
    --endpoint=*) fields+=("\"endpoint_id\":\"${arg#*=}\"") ;;
    --from=*) fields+=("\"from\":\"${arg#*=}\"") ;;
    --to=*) fields+=("\"to\":\"${arg#*=}\"") ;;
    --limit=*) fields+=("\"limit\":${arg#*=}") ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z "$key" ]]; then
  echo "--api-key is required (see --help)" >&2
  exit 2
fi
body="{$(IFS=,; echo "${fields[*]-}")}"
curl -sS --fail-with-body -X POST "$url/api/v1/jobs/dlq/replay" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$body"
echo
