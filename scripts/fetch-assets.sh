#!/usr/bin/env bash
# Re-fetch the console's pinned front-end assets from the npm registry into
# internal/web/static/vendor. The files are committed; the binary embeds
# them, so shequn works offline. Run this only to change a version.
set -euo pipefail
HTMX=2.0.4
ECHARTS=5.6.0
PICO=2.1.1
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/internal/web/static/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
for p in "htmx.org@$HTMX" "echarts@$ECHARTS" "@picocss/pico@$PICO"; do
  npm pack --silent "$p" >/dev/null
done
for t in *.tgz; do mkdir -p "${t%.tgz}" && tar -xzf "$t" -C "${t%.tgz}"; done
mkdir -p "$out"
cp htmx.org-"$HTMX"/package/dist/htmx.min.js "$out/htmx.min.js"
cp echarts-"$ECHARTS"/package/dist/echarts.min.js "$out/echarts.min.js"
cp picocss-pico-"$PICO"/package/css/pico.min.css "$out/pico.min.css"
cat > "$out/VERSIONS" <<V
htmx.org $HTMX (BSD-2-Clause)
echarts $ECHARTS (Apache-2.0)
@picocss/pico $PICO (MIT)
V
ls -l "$out"
