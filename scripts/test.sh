#!/usr/bin/env bash
# shequn's test run, the README's test command: vet, every test with the
# race detector, then a brief native-fuzzing pass over the event decoder
# and the console's form posts (SHEQUN_FUZZTIME each, default 15s).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${SHEQUN_FUZZTIME:-15s}"
go vet ./...
# the conformance suite runs both databases under the race detector: 16 min
# in CI on 2026-12-07 beside the browser tests (its rapid ledger property
# test takes ~4 s a case there), so packages get 30 min
go test -race -count=1 -timeout 30m ./...
go test -run '^$' -fuzz '^FuzzDecodeEvents$' -fuzztime "$fuzztime" ./internal/httpapi
go test -run '^$' -fuzz '^FuzzConsoleForms$' -fuzztime "$fuzztime" ./internal/web
