"""SIGKILL durability check (not part of `make test`; docs/operations.md "Durability").

Several app servers (gunicorn, each with workers) serve one database; parallel clients send
public room requests for a small set of slots of one room (so that they compete); after a
while every server process is killed with SIGKILL in the middle of the traffic. Then the
database is opened again and checked:

- every write a client saw acknowledged (the request form answered with its redirect) is
  there (booking with that title, active);
- no slot is held twice (no two active bookings of the room overlap).

`--control` drops the booking cells' UNIQUE constraint first (the one guard against double
booking): the same run must then show double bookings, so the check can fail.

    .venv/bin/python -m bench.durability.run                 # SQLite in a scratch directory
    .venv/bin/python -m bench.durability.run --control       # must report conflicts
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/q_durability \\
        .venv/bin/python -m bench.durability.run             # PostgreSQL (a scratch database)

Exit status 0 when the outcome is the expected one (no loss and no conflict; for the control:
at least one conflict), 1 otherwise. The figures are printed as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# 20 days x 12 hours: enough free slots that most requests are acknowledged, few enough that
# clients often want the same slot at the same time.
DAYS = [f"2030-03-{day:02d}" for day in range(2, 22)]
SLOTS = [(f"{hour:02d}:00", f"{hour + 1:02d}:00") for hour in range(8, 20)]


def _env(workdir: Path) -> dict[str, str]:
    env = {**os.environ}
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'quartier.sqlite3'}")
    env.update(
        {
            "QUARTIER_VAR_DIR": str(workdir),
            "QUARTIER_SECRET_KEY": "durability-check-not-secret-" + "x" * 40,
            "QUARTIER_DEBUG": "false",
            "QUARTIER_SECURE_COOKIES": "false",
            "QUARTIER_PAGE_CACHE_SECONDS": "0",
            "QUARTIER_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # The throttle is not under test here: every client is on 127.0.0.1.
            "QUARTIER_THROTTLE_RATES": json.dumps(
                {"venues.request": [[1_000_000, 60]], "venues.request_mail": [[1_000_000, 60]]}
            ),
        }
    )
    return env


def _django(env: dict[str, str], code: str) -> str:
    script = "import django; django.setup()\n" + code
    result = subprocess.run(
        [PYTHON, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "quartier.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"setup failed:\n{result.stderr[-3000:]}")
    return result.stdout


SETUP = """
import datetime as dt
from django.db import connection
from quartier.directory.models import Organisation
from quartier.venues.models import OpeningHours, Room, Venue
from quartier.venues.models import Booking
org, _ = Organisation.objects.get_or_create(slug="durability", defaults={"name": "Durability"})
venue, _ = Venue.objects.get_or_create(
    slug="haus", defaults={"name": "Haus", "organisation": org, "city": "Trier"})
for weekday in range(7):
    OpeningHours.objects.get_or_create(
        venue=venue, weekday=weekday, opens=dt.time(0), closes=dt.time(23, 45))
room, _ = Room.objects.get_or_create(venue=venue, slug="saal", defaults={
    "name": "Saal", "capacity": 50, "public_requests": True, "lead_time_hours": 0,
    "booking_window_days": 2000, "max_length_minutes": 600, "buffer_minutes": 0})
Booking.objects.filter(room=room).delete()
from quartier.venues.models import Occupancy
Occupancy.objects.filter(room=room).delete()
# The one guard against double booking: dropped for the control, put back otherwise (through
# the schema editor: on SQLite a table-level constraint needs the table rebuilt).
guard = next(c for c in Occupancy._meta.constraints if c.name == "occupancy_one_per_cell")
with connection.cursor() as cursor:
    present = guard.name in connection.introspection.get_constraints(cursor, "venues_occupancy")
with connection.schema_editor() as editor:
    if CONTROL and present:
        # SQLite rebuilds the table from the model's constraints: take it off the model too.
        Occupancy._meta.constraints = [c for c in Occupancy._meta.constraints if c is not guard]
        editor.remove_constraint(Occupancy, guard)
    elif not CONTROL and not present:
        editor.add_constraint(Occupancy, guard)
print(room.get_absolute_url() + "anfrage/")
"""

VERIFY = """
import json
from django.db.models import F
from quartier.venues.models import Booking
titles = set(json.loads(open(ACKED).read()))
active = Booking.objects.filter(room__slug="saal", status__in=["requested", "confirmed"])
present = set(active.values_list("title", flat=True))
pairs = 0
rows = list(active.values_list("pk", "start", "end"))
for i, (pk, start, end) in enumerate(rows):
    for other, ostart, oend in rows[i + 1:]:
        if start < oend and ostart < end:
            pairs += 1
print(json.dumps({"acknowledged": len(titles), "lost": sorted(titles - present)[:20],
                  "lost_count": len(titles - present), "active_bookings": len(rows),
                  "double_booked_pairs": pairs}))
"""


class Client(threading.Thread):
    def __init__(self, number: int, ports: list[int], path: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.number, self.ports, self.path, self.stop = number, ports, path, stop
        self.acked: list[str] = []
        self.refused = 0
        self.errors = 0

    def _request(self, port: int, method: str, body: str = "", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request(method, self.path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode("utf-8", "ignore")
        finally:
            conn.close()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            port = random.choice(self.ports)
            n += 1
            title = f"c{self.number}-{n}"
            try:
                status, headers, text = self._request(port, "GET")
                cookie = next(
                    (
                        v.split(";")[0]
                        for k, v in headers
                        if k.lower() == "set-cookie" and v.startswith("csrftoken=")
                    ),
                    "",
                )
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
                if status != 200 or not cookie or token is None:
                    self.errors += 1
                    continue
                start, end = random.choice(SLOTS)
                day = random.choice(DAYS)
                form = {
                    "csrfmiddlewaretoken": token.group(1),
                    "title": title,
                    "date": day,
                    "start_time": start,
                    "end_time": end,
                    "name": "Durability",
                    "email": f"client{self.number}@example.org",
                    "consent": "on",
                }
                status, _headers, _text = self._request(
                    port,
                    "POST",
                    urllib.parse.urlencode(form),
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": cookie,
                        "Referer": f"http://127.0.0.1:{port}{self.path}",
                    },
                )
            except (OSError, http.client.HTTPException):
                self.errors += 1
                time.sleep(0.05)
                continue
            if status == 302:
                self.acked.append(title)  # acknowledged: the server said it is stored
            elif status in (400, 409):
                self.refused += 1  # the slot is taken
            else:
                self.errors += 1


def _wait_ready(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15, help="traffic before the kill")
    parser.add_argument("--control", action="store_true", help="drop the booking constraint")
    parser.add_argument("--port", type=int, default=18700)
    parser.add_argument(
        "--workdir",
        help="Reuse this directory (database, static files) instead of a new one; a normal "
        "run puts back the constraint a control run dropped.",
    )
    args = parser.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="quartier-durability-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = _env(workdir)
    commands = [["migrate"]]
    if not (workdir / "static" / "staticfiles.json").exists():
        commands.append(["collectstatic", "--noinput"])
    for command in commands:
        subprocess.run(
            [PYTHON, "-m", "quartier", *command, "-v", "0"], env=env, cwd=ROOT, check=True
        )
    path = _django(env, f"CONTROL = {args.control!r}\n" + SETUP).strip().splitlines()[-1]

    ports = [args.port + i for i in range(args.servers)]
    servers = [
        subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "quartier.wsgi", "-w", str(args.workers),
             "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]  # fmt: skip
    for port in ports:
        _wait_ready(port, time.time() + 60)

    stop = threading.Event()
    clients = [Client(i, ports, path, stop) for i in range(args.clients)]
    for client in clients:
        client.start()
    time.sleep(args.seconds)
    # Every server process (master and workers), mid-traffic, without warning.
    for server in servers:
        os.killpg(server.pid, signal.SIGKILL)
    for server in servers:
        server.wait()
    stop.set()
    for client in clients:
        client.join(timeout=15)

    acked = [title for client in clients for title in client.acked]
    acked_file = workdir / "acked.json"
    acked_file.write_text(json.dumps(acked))
    # The database after the crash, opened afresh (SQLite recovers its WAL here).
    outcome = json.loads(_django(env, f"ACKED = {str(acked_file)!r}\n" + VERIFY).splitlines()[-1])
    outcome.update(
        {
            "database": env["DATABASE_URL"].split(":")[0],
            "control": args.control,
            "servers": args.servers,
            "workers_per_server": args.workers,
            "clients": args.clients,
            "seconds": args.seconds,
            "refused_as_taken": sum(c.refused for c in clients),
            "client_errors": sum(c.errors for c in clients),
        }
    )
    if args.control:
        ok = outcome["double_booked_pairs"] > 0
    else:
        ok = outcome["lost_count"] == 0 and outcome["double_booked_pairs"] == 0
    outcome["expected_outcome"] = ok
    print(json.dumps(outcome, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
