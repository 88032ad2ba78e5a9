#!/usr/bin/env bash
# Builds the pinned Dendrite homeserver and its tools into the cache
# directory given as $1 (default ~/.cache/shequn/dendrite-v0.15.2) unless
# they are there already. Used by the Matrix end-to-end test.
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-${HOME}/.cache/shequn/dendrite-v0.15.2}"
if [ -x "$out/dendrite" ] && [ -x "$out/generate-keys" ] && [ -x "$out/generate-config" ] && [ -x "$out/create-account" ]; then
  exit 0
fi
mkdir -p "$out.tmp"
for cmd in dendrite generate-keys generate-config create-account; do
  CGO_ENABLED=1 go build -trimpath -o "$out.tmp/$cmd" "github.com/element-hq/dendrite/cmd/$cmd"
done
rm -rf "$out"
mv "$out.tmp" "$out"
