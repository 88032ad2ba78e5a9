#!/usr/bin/env bash
# shequn's test run, the README's test command: vet, every test with the
# race detector, then a brief native-fuzzing pass over the event decoder
# and the console's form posts (SHEQUN_FUZZTIME each, default 15s).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${SHEQUN_FUZZTIME:-15s}"
go vet ./...
go test -race -count=1 -timeout 20m ./...
go test -run '^$' -fuzz '^FuzzDecodeEvents$' -fuzztime "$fuzztime" ./internal/httpapi
go test -run '^$' -fuzz '^FuzzConsoleForms$' -fuzztime "$fuzztime" ./internal/web
