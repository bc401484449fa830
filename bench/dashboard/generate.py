"""Dashboard benchmark data: the progress report's city (40 areas, 500 projects, 10 years of 30
indicators per area, bench/progress_report/run.py `build`) plus a planner of the city with a
logged-in session whose second factor is done, as a login through the pages leaves it.

    QUARTIER_VAR_DIR=/tmp/bench-dashboard nice -n 10 .venv/bin/python bench/dashboard/generate.py
Writes `$QUARTIER_VAR_DIR/cookie.txt` (the Cookie header for wrk). Options: --scale S (1.0).
Running it again keeps the data and writes a fresh session.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ.setdefault("QUARTIER_VAR_DIR", "/tmp/bench-dashboard")
Path(os.environ["QUARTIER_VAR_DIR"]).mkdir(parents=True, exist_ok=True)

PLANNER = "bench-planung"


def session_cookie(user) -> str:
    """A session as django.contrib.auth.login + django_otp.login leave it (no page login: the
    TOTP code would need the clock)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench device", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from bench.progress_report.run import CITY, build
    from quartier.accounts.models import RoleAssignment, User
    from quartier.areas.models import Area

    call_command("migrate", verbosity=0)
    if not Area.objects.filter(slug=CITY).exists():
        started = time.perf_counter()
        build(args.scale)
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    city = Area.objects.get(slug=CITY)
    user, created = User.objects.get_or_create(username=PLANNER, defaults={"is_staff": True})
    if created:
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, role="planner", area=city)
    cookie = session_cookie(user)
    Path(os.environ["QUARTIER_VAR_DIR"], "cookie.txt").write_text(cookie + "\n")
    print(f"# {PLANNER}, planner of {city.name}: cookie in $QUARTIER_VAR_DIR/cookie.txt")


if __name__ == "__main__":
    main()
