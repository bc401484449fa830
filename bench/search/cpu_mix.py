"""CPU time of the whole query mix through `search_offers`, in one process (not the protocol).

For comparing two versions of the search code on the same data and machine, interleaved: wrk
figures on a loaded machine measure the queue, CPU time measures the work. SQLite runs inside
the process, so its CPU time is all of it; on PostgreSQL the server backend's CPU time (read
from /proc, the server on the same machine) is added to the process's. Each round runs the mix
`repeat` times (the backend's counter ticks in 10 ms); the figure is CPU ms per mix. A digest
of every query's total, facets and hits shows that two versions found the same.

    QUARTIER_VAR_DIR=/tmp/bench-var100 nice -n 10 .venv/bin/python bench/search/cpu_mix.py
    DATABASE_URL=postgres://... nice -n 10 .venv/bin/python bench/search/cpu_mix.py 7 5
"""

import datetime as dt
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from quartier.search.services import SearchFilters, search_offers  # noqa: E402

MIX = Path("/work/shared/bench/queries-de.txt")
TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (0 on SQLite)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def digest(queries: list[str]) -> str:
    """What the mix finds, at a fixed time (the open-now count changes with the clock)."""
    at = dt.datetime(2026, 12, 7, 10, 30, tzinfo=dt.UTC)
    found = []
    for query in queries:
        result = search_offers(query=query, filters=SearchFilters(now=at))
        found.append(
            [query, result.total, sorted(result.facets.items()), result.corrected_query]
            + [[str(hit.summary.id), hit.lat, hit.lon] for hit in result.hits]
        )
    return hashlib.sha256(json.dumps(found).encode()).hexdigest()[:16]


def main(rounds: int, repeat: int) -> None:
    queries = [q for q in MIX.read_text(encoding="utf-8").splitlines() if q.strip()]
    print(f"{connection.vendor}, {len(queries)} queries, digest {digest(queries)}")  # warms too
    process, server = [], []
    for number in range(rounds):
        cpu_start, server_start = time.process_time(), server_cpu()
        for _repeat in range(repeat):
            for query in queries:
                search_offers(query=query)
        process.append((time.process_time() - cpu_start) * 1000 / repeat)
        server.append((server_cpu() - server_start) * 1000 / repeat)
        print(f"round {number + 1}: process {process[-1]:.1f} ms, server {server[-1]:.1f} ms")
    total = [p + s for p, s in zip(process, server, strict=True)]
    print(
        f"whole mix, CPU ms per mix, median of {rounds} (min-max): "
        f"{statistics.median(total):.1f} ({min(total):.1f}-{max(total):.1f}); "
        f"process {statistics.median(process):.1f}, server {statistics.median(server):.1f}"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 7,
        int(sys.argv[2]) if len(sys.argv) > 2 else 5,
    )
