"""The baselines: `hello` (a bare view) and `fts` (a bare FTS5 query over the same texts).

fts follows /work/shared/BENCHMARKS.md: `MATCH ? ORDER BY rank LIMIT 20` plus a count of the
matches, JSON out. The user's words are quoted one by one (implicit AND), the least any
FTS5 endpoint must do to survive quotes and operators in the input. On PostgreSQL the floor
is the same texts as one 'simple' tsvector with a GIN index, ranked by ts_rank.
"""

import re

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

WORD = re.compile(r"\w+")


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


def fts(request: HttpRequest) -> JsonResponse:
    words = WORD.findall(request.GET.get("q", ""))[:8]
    if connection.vendor == "postgresql":
        return _fts_postgres(" ".join(words))
    expression = " ".join(f'"{word}"' for word in words) or '""'
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, name FROM bench_fts WHERE bench_fts MATCH %s ORDER BY rank LIMIT 20",
            [expression],
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH %s", [expression])
        total = cursor.fetchone()[0]
    return JsonResponse({"total": total, "results": [{"id": r, "name": n} for r, n in rows]})


def _fts_postgres(text: str) -> JsonResponse:
    """The same floor on PostgreSQL: a 'simple' tsvector with GIN, ranked by ts_rank."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name FROM bench_pg, plainto_tsquery('simple', %s) q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC LIMIT 20",
            [text],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM bench_pg WHERE tsv @@ plainto_tsquery('simple', %s)", [text]
        )
        total = cursor.fetchone()[0]
    return JsonResponse({"total": total, "results": [{"id": r, "name": n} for r, n in rows]})
