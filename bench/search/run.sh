#!/bin/sh
# Search benchmark (see /work/shared/BENCHMARKS.md and bench/README.md).
# usage: QUARTIER_VAR_DIR=/tmp/bench-var100 bench/search/run.sh > bench/search/results/<name>.txt
# Serves the generated county with gunicorn (2 sync workers, DEBUG off, bench URLconf), then
# runs three interleaved rounds of: fts floor and search API on the query mix, on its
# selective and its broad part, the hello floor, the HTML page and the GeoJSON endpoint, and
# the plain pages (an offer, an area's start page) without and with the page cache.
# The HSDS API (issue #17): hsds-mix (/api/hsds/services?search= over the mix), hsds-pages
# (list pages 1 to the last, 50 a page, in a shuffled rotation: every depth).
# ONLY="hello offer-detail ..." runs only the targets named.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${QUARTIER_VAR_DIR:?set QUARTIER_VAR_DIR to the directory of the generated county}"
PORT=${PORT:-8042}
ROUNDS=${ROUNDS:-3}
MIX=${MIX:-/work/shared/bench/queries-de.txt}
HERE="$ROOT/bench/search"
URL="http://127.0.0.1:$PORT"
BBOX="6.20,49.45,7.10,50.05"
export DJANGO_SETTINGS_MODULE=bench.search.settings QUARTIER_DEBUG=0
export QUARTIER_SECRET_KEY=${QUARTIER_SECRET_KEY:-bench-only-not-secret}
CACHED_URL="http://127.0.0.1:$((PORT + 1))"
cd "$ROOT"
# The protocol's server: no page cache (BENCHMARKS.md: no cache while measuring the ratios).
QUARTIER_PAGE_CACHE_SECONDS=0 .venv/bin/gunicorn -w 2 -k sync --timeout 120 \
  -b "127.0.0.1:$PORT" --log-level warning --pid "$QUARTIER_VAR_DIR/gunicorn.pid" \
  quartier.wsgi:application &
# The same with the page cache (the product's default), idle but for the "-cached" targets.
QUARTIER_PAGE_CACHE_SECONDS=60 .venv/bin/gunicorn -w 2 -k sync --timeout 120 \
  -b "127.0.0.1:$((PORT + 1))" --log-level warning \
  --pid "$QUARTIER_VAR_DIR/gunicorn-cached.pid" quartier.wsgi:application &
trap 'kill "$(cat "$QUARTIER_VAR_DIR/gunicorn.pid")" "$(cat "$QUARTIER_VAR_DIR/gunicorn-cached.pid")" 2>/dev/null || true; rm -rf "$PAGES"' EXIT
sleep 4

load() {  # name, queries file, path prefix[, path suffix[, server]]
  case " ${ONLY:-$1} " in *" $1 "*) ;; *) return 0 ;; esac
  server=${5:-$URL}
  wrk -t1 -c8 -d3s --timeout 30s -s "$HERE/queries.lua" "$server" -- "$2" "$3" "${4:-}" > /dev/null
  result=$(wrk -t1 -c8 -d10s --latency --timeout 30s -s "$HERE/queries.lua" "$server" -- "$2" "$3" "${4:-}" | grep RESULT)
  echo "$1 round=$round ${result#RESULT }"
}

# Plain pages: 200 public offers' detail pages and the public areas' start pages, in rotation.
PAGES=$(mktemp -d)
.venv/bin/python - "$PAGES" <<'PY'
import sys
import django
django.setup()
from quartier.areas.models import Area
from quartier.offers.models import Offer
out = sys.argv[1]
ids = Offer.objects.public().order_by("pk").values_list("pk", flat=True)[:200]
open(f"{out}/offers.txt", "w").write("".join(f"{pk}\n" for pk in ids))
slugs = Area.objects.public().values_list("slug", flat=True)
open(f"{out}/areas.txt", "w").write("".join(f"{slug}\n" for slug in slugs))
import random
pages = list(range(1, Offer.objects.public().count() // 50 + 2))
random.Random(17).shuffle(pages)
open(f"{out}/hsds-pages.txt", "w").write("".join(f"{page}\n" for page in pages))
PY

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "# data: $QUARTIER_VAR_DIR, mix: $MIX, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
round=1
while [ "$round" -le "$ROUNDS" ]; do
  load fts-mix "$MIX" "/bench/fts?q="
  load api-mix "$MIX" "/api/search/offers?q="
  load fts-selective "$HERE/queries-selective.txt" "/bench/fts?q="
  load api-selective "$HERE/queries-selective.txt" "/api/search/offers?q="
  load fts-broad "$HERE/queries-broad.txt" "/bench/fts?q="
  load api-broad "$HERE/queries-broad.txt" "/api/search/offers?q="
  load hello "$MIX" "/bench/hello?q="
  load page-mix "$MIX" "/angebote/?q="
  load geojson-mix "$MIX" "/api/search/offers.geojson?bbox=$BBOX&q="
  load offer-detail "$PAGES/offers.txt" "/angebote/" "/"
  load area-page "$PAGES/areas.txt" "/gebiete/" "/"
  load offer-detail-cached "$PAGES/offers.txt" "/angebote/" "/" "$CACHED_URL"
  load area-page-cached "$PAGES/areas.txt" "/gebiete/" "/" "$CACHED_URL"
  load hsds-mix "$MIX" "/api/hsds/services?search="
  load hsds-pages "$PAGES/hsds-pages.txt" "/api/hsds/services?page="
  round=$((round + 1))
done
