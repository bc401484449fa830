"""In-process cost of a search against the fts floor, as CPU time per call (not the protocol).

On a machine whose load average is far above its cores, wall-clock figures from wrk measure the
queue, not the code. CPU time of the calling process (SQLite runs in-process) still compares
the work done. Usage:
    QUARTIER_VAR_DIR=/tmp/bench-var100 .venv/bin/python bench/search/inprocess.py [rounds]
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from quartier.search.services import search_offers  # noqa: E402

MIX = Path("/work/shared/bench/queries-de.txt")
BROAD = {"Beratung", "Kita", "Familienzentrum"}


def floor(query: str) -> int:
    expression = " ".join(f'"{w}"' for w in re.findall(r"\w+", query)[:8]) or '""'
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, name FROM bench_fts WHERE bench_fts MATCH %s ORDER BY rank LIMIT 20",
            [expression],
        )
        cursor.fetchall()
        cursor.execute("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH %s", [expression])
        return cursor.fetchone()[0]


def cpu(call, *args) -> tuple[float, object]:
    start = time.process_time()
    result = call(*args)
    return (time.process_time() - start) * 1000, result


def main(rounds: int) -> None:
    queries = [q for q in MIX.read_text(encoding="utf-8").splitlines() if q.strip()]
    floor("Kita"), search_offers(query="Kita")  # warm caches
    costs: dict[str, dict[str, list[float]]] = {q: {"fts": [], "api": []} for q in queries}
    totals: dict[str, tuple[int, int]] = {}
    for _round in range(rounds):
        for query in queries:
            ms, n_floor = cpu(floor, query)
            costs[query]["fts"].append(ms)
            ms, result = cpu(lambda q: search_offers(query=q), query)
            costs[query]["api"].append(ms)
            totals[query] = (n_floor, result.total)
    print("| query | hits fts / ours | fts ms CPU | search_offers ms CPU | ratio |")
    print("|---|---|---|---|---|")
    sums = {"fts": 0.0, "api": 0.0}
    for query in queries:
        f, a = (statistics.median(costs[query][k]) for k in ("fts", "api"))
        sums["fts"] += f
        sums["api"] += a
        n_floor, n_ours = totals[query]
        print(f"| {query} | {n_floor} / {n_ours} | {f:.1f} | {a:.1f} | {a / max(f, 0.01):.1f} |")
    print(
        f"\nwhole mix: fts {sums['fts']:.0f} ms, search {sums['api']:.0f} ms CPU; "
        f"throughput proxy search/fts = {sums['fts'] / sums['api']:.2f}"
    )
    for label, group in (("broad", BROAD), ("selective", set(queries) - BROAD)):
        f = sum(statistics.median(costs[q]["fts"]) for q in group)
        a = sum(statistics.median(costs[q]["api"]) for q in group)
        print(f"{label}: fts {f:.0f} ms, search {a:.0f} ms CPU, ratio {a / f:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
