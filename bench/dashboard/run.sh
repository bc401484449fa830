#!/bin/sh
# Dashboard benchmark (issue #14 "Speed"; protocol: /work/shared/BENCHMARKS.md).
# usage: QUARTIER_VAR_DIR=/tmp/bench-dashboard bench/dashboard/run.sh > bench/dashboard/results/<name>.txt
# The data and the planner's session come from bench/dashboard/generate.py (run first).
# Serves with gunicorn (2 sync workers, DEBUG off, no page cache, the bench URLconf with hello),
# then ROUNDS interleaved rounds of wrk -t1 -c8 -d10s after a 3 s warm-up:
#   hello       the bare view (the baseline)
#   dashboard   /verwaltung/ as the planner of the city (the back-office start with every
#               app's section)
#   city        /verwaltung/projects/gebiet/bench-stadt/ (goals, projects, budget, programme
#               ends and continuation gaps of the city's 40 areas)
# ONLY="hello city" runs only the targets named.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${QUARTIER_VAR_DIR:?set QUARTIER_VAR_DIR to the directory of the generated data}"
PORT=${PORT:-8061}
ROUNDS=${ROUNDS:-3}
URL="http://127.0.0.1:$PORT"
export DJANGO_SETTINGS_MODULE=bench.search.settings QUARTIER_DEBUG=0
export QUARTIER_SECRET_KEY=${QUARTIER_SECRET_KEY:-bench-only-not-secret}
cd "$ROOT"
# A fresh session of the planner, signed with this run's secret key (builds the data if absent).
.venv/bin/python bench/dashboard/generate.py >&2
COOKIE=$(cat "$QUARTIER_VAR_DIR/cookie.txt")
QUARTIER_PAGE_CACHE_SECONDS=0 .venv/bin/gunicorn -w 2 -k sync --timeout 120 \
  -b "127.0.0.1:$PORT" --log-level warning --pid "$QUARTIER_VAR_DIR/gunicorn-dashboard.pid" \
  quartier.wsgi:application &
trap 'kill "$(cat "$QUARTIER_VAR_DIR/gunicorn-dashboard.pid")" 2>/dev/null || true' EXIT
sleep 5
for path in /verwaltung/ /verwaltung/projects/gebiet/bench-stadt/; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$URL$path")
  [ "$code" = 200 ] || { echo "$path answers $code, not 200: is the session valid?" >&2; exit 1; }
done

load() {  # name, path
  case " ${ONLY:-$1} " in *" $1 "*) ;; *) return 0 ;; esac
  wrk -t1 -c8 -d3s --timeout 30s -H "Cookie: $COOKIE" "$URL$2" > /dev/null
  out=$(wrk -t1 -c8 -d10s --latency --timeout 30s -H "Cookie: $COOKIE" "$URL$2")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p95=$(echo "$out" | awk '$1 == "90%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "$1 round=$round rps=$rps p50=$p50 p90=$p95 non2xx=${errors:-0}"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "# data: $QUARTIER_VAR_DIR${DATABASE_URL:+ (PostgreSQL)}, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
round=1
while [ "$round" -le "$ROUNDS" ]; do
  load hello /bench/hello
  load dashboard /verwaltung/
  load hello /bench/hello
  load city /verwaltung/projects/gebiet/bench-stadt/
  round=$((round + 1))
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
