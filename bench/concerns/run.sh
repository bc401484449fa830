#!/bin/sh
# Concerns benchmark (issue #15 "Speed"; protocol: /work/shared/BENCHMARKS.md, bench/README.md).
# usage: QUARTIER_VAR_DIR=/tmp/bench-concerns bench/concerns/run.sh > bench/concerns/results/<name>.txt
# Serves the generated concerns (bench/concerns/generate.py) with gunicorn (2 sync workers,
# DEBUG off, no page cache, the bench URLconf with hello), then runs ROUNDS interleaved rounds:
#   hello              the bare view (the baseline)
#   map-bbox           /anliegen/karte.geojson?bbox=... over a mix of boxes (county, town, street)
#   open311-page1000   /api/open311/v2/requests.json?page_size=1000&page=N, N in rotation
#   open311-page100    the same with page_size=100 (the default page since 2026-12-08)
#   open311-page100-link  the same pages as the next links give them (keyset: after=<id>)
#   open311-filtered   status=open&start_date=2025-01-01, pages of 100
#   open311-page100-cached, open311-page1000-cached, open311-default-cached
#                      the same pages from a second server on PORT + 1 with the answer cache on
#                      (api/cache.py; reported apart, as BENCHMARKS.md asks); -default: no
#                      page_size (100 rows)
#   open311-first10, open311-first10-cached  the first ten default pages (what polling clients
#                      read), without and with the answer cache
# ONLY="hello map-bbox" runs only the targets named.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${QUARTIER_VAR_DIR:?set QUARTIER_VAR_DIR to the directory of the generated concerns}"
PORT=${PORT:-8052}
ROUNDS=${ROUNDS:-3}
LUA="$ROOT/bench/search/queries.lua"
URL="http://127.0.0.1:$PORT"
export DJANGO_SETTINGS_MODULE=bench.search.settings QUARTIER_DEBUG=0
export QUARTIER_SECRET_KEY=${QUARTIER_SECRET_KEY:-bench-only-not-secret}
cd "$ROOT"
QUARTIER_PAGE_CACHE_SECONDS=0 .venv/bin/gunicorn -w 2 -k sync --timeout 120 \
  -b "127.0.0.1:$PORT" --log-level warning --pid "$QUARTIER_VAR_DIR/gunicorn-concerns.pid" \
  quartier.wsgi:application &
CACHED_URL="http://127.0.0.1:$((PORT + 1))"
QUARTIER_PAGE_CACHE_SECONDS=0 QUARTIER_API_CACHE_SECONDS=600 .venv/bin/gunicorn -w 2 -k sync \
  --timeout 120 -b "127.0.0.1:$((PORT + 1))" --log-level warning \
  --pid "$QUARTIER_VAR_DIR/gunicorn-concerns-cached.pid" quartier.wsgi:application &
MIXES=$(mktemp -d)
trap 'kill "$(cat "$QUARTIER_VAR_DIR/gunicorn-concerns.pid")" "$(cat "$QUARTIER_VAR_DIR/gunicorn-concerns-cached.pid")" 2>/dev/null || true; rm -rf "$MIXES"' EXIT
sleep 4

# The request mixes, from the data: boxes around the towns at three zooms, page numbers.
.venv/bin/python - "$MIXES" <<'PY'
import random
import sys

import django

django.setup()
from quartier.areas.models import Area
from quartier.concerns.selectors import public_concerns

out = sys.argv[1]
rng = random.Random(15)
towns = list(
    Area.objects.filter(slug__startswith="bench-").values_list("centre_lat", "centre_lon")
)
boxes = ["6.20,49.45,7.10,50.05"]  # the whole county (capped at 5,000 points)
for lat, lon in towns:
    for half in (0.08, 0.02, 0.005):  # a town, a quarter, a few streets
        lat_c, lon_c = lat + rng.uniform(-half, half), lon + rng.uniform(-half, half)
        boxes.append(f"{lon_c - 1.5 * half:.4f},{lat_c - half:.4f},{lon_c + 1.5 * half:.4f},{lat_c + half:.4f}")
open(f"{out}/boxes.txt", "w").write("\n".join(boxes) + "\n")
total = public_concerns().count()
open(f"{out}/pages1000.txt", "w").write("".join(f"{p}\n" for p in range(1, total // 1000 + 2)))
open(f"{out}/pages-first10.txt", "w").write("".join(f"{p}\n" for p in range(1, 11)))
open(f"{out}/pages100.txt", "w").write("".join(f"{p}\n" for p in range(1, total // 100 + 2)))
ids = list(public_concerns().order_by("-pk").values_list("pk", flat=True))
open(f"{out}/after100.txt", "w").write("".join(f"{ids[i]}\n" for i in range(99, len(ids), 100)))
import datetime as dt
from django.utils import timezone
from quartier.concerns.models import CLOSED
since = timezone.make_aware(dt.datetime(2025, 1, 1))
filtered = public_concerns().exclude(status__in=CLOSED).filter(created_at__gte=since).count()
open(f"{out}/pagesfiltered.txt", "w").write("".join(f"{p}\n" for p in range(1, filtered // 100 + 2)))
print(f"# {total} public concerns ({filtered} open since 2025), {len(boxes)} boxes", flush=True)
PY

load() {  # name, file, path prefix[, path suffix]
  case " ${ONLY:-$1} " in *" $1 "*) ;; *) return 0 ;; esac
  case "$1" in *-cached) base=$CACHED_URL ;; *) base=$URL ;; esac
  wrk -t1 -c8 -d3s --timeout 30s -s "$LUA" "$base" -- "$2" "$3" "${4:-}" > /dev/null
  result=$(wrk -t1 -c8 -d10s --latency --timeout 30s -s "$LUA" "$base" -- "$2" "$3" "${4:-}" | grep RESULT)
  echo "$1 round=$round ${result#RESULT }"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "# data: $QUARTIER_VAR_DIR${DATABASE_URL:+ (PostgreSQL)}, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
round=1
while [ "$round" -le "$ROUNDS" ]; do
  load hello "$MIXES/pages100.txt" "/bench/hello?q="
  load map-bbox "$MIXES/boxes.txt" "/anliegen/karte.geojson?bbox="
  load hello "$MIXES/pages100.txt" "/bench/hello?q="
  load open311-page1000 "$MIXES/pages1000.txt" "/api/open311/v2/requests.json?page_size=1000&page="
  load hello "$MIXES/pages100.txt" "/bench/hello?q="
  load open311-page100 "$MIXES/pages100.txt" "/api/open311/v2/requests.json?page_size=100&page="
  load open311-page100-link "$MIXES/after100.txt" "/api/open311/v2/requests.json?page_size=100&after="
  load open311-filtered "$MIXES/pagesfiltered.txt" "/api/open311/v2/requests.json?status=open&start_date=2025-01-01&page_size=100&page="
  load hello "$MIXES/pages100.txt" "/bench/hello?q="
  load open311-default-cached "$MIXES/pages100.txt" "/api/open311/v2/requests.json?page="
  load open311-page1000-cached "$MIXES/pages1000.txt" "/api/open311/v2/requests.json?page_size=1000&page="
  load open311-page100-link-cached "$MIXES/after100.txt" "/api/open311/v2/requests.json?page_size=100&after="
  load hello "$MIXES/pages100.txt" "/bench/hello?q="
  load open311-first10 "$MIXES/pages-first10.txt" "/api/open311/v2/requests.json?page="
  load open311-first10-cached "$MIXES/pages-first10.txt" "/api/open311/v2/requests.json?page="
  round=$((round + 1))
done
