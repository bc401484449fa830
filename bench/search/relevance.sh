#!/usr/bin/env bash
# The relevance set's score on SQLite and, when QUARTIER_TEST_DATABASE_URL is set, on
# PostgreSQL: the share of its queries whose offers come (and do not come) in the first five
# hits, by kind, and every miss. quartier/search/relevance.py; docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTEST=".venv/bin/pytest -p no:cacheprovider -q -s tests/search/test_relevance.py -k score"
echo "== SQLite"
$PYTEST | grep -E "^(relevance|  )" || true
if [ -n "${QUARTIER_TEST_DATABASE_URL:-}" ]; then
  echo "== PostgreSQL"
  DATABASE_URL="$QUARTIER_TEST_DATABASE_URL" $PYTEST | grep -E "^(relevance|  )" || true
fi
