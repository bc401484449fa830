"""Security headers and the production profile (docs/operations.md): Django's deployment check
passes at WARNING level, HSTS and the HTTPS redirect come with the TLS proxy setting, and
every response names the browser features it may use, its referrer and opener policies.

The production profile is the settings module read in a new process from the environment an
installation sets: DEBUG off, secure cookies, allowed hosts, the secret key, the TLS proxy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HOST = "quartier.example.org"
PRODUCTION = {
    "QUARTIER_DEBUG": "0",
    "QUARTIER_SECRET_KEY": "k7Vq2-production-profile-test-key-9wXc4LmN8pR3sT6uY1zA5bD0eF",
    "QUARTIER_ALLOWED_HOSTS": HOST,
    "QUARTIER_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "QUARTIER_SECURE_COOKIES": "1",
    "QUARTIER_BEHIND_TLS_PROXY": "1",
}
# Requests in the production profile, without a database: the health check and the redirect
# both answer before any view reads one.
REQUESTS = f"""
import json, django
django.setup()
from django.test import Client
client = Client(headers={{"Host": "{HOST}"}})
answers = {{}}
for name, path, proto in (
    ("secure", "/healthz", "https"), ("plain", "/", "http"), ("plain_health", "/healthz", "http")
):
    response = client.get(path, headers={{"X-Forwarded-Proto": proto}})
    headers = {{k.lower(): v for k, v in response.items()}}
    answers[name] = {{"status": response.status_code, **headers}}
print(json.dumps(answers))
"""


def _run(tmp_path, args: list[str], **environ: str) -> subprocess.CompletedProcess:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            # The browser tests allow Django's sync calls in their event loop; a deployment
            # must not (async.E001).
            if not k.startswith(("QUARTIER_", "DATABASE_")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "QUARTIER_VAR_DIR": str(tmp_path),
        **environ,
    }
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_check_is_clean_in_the_production_profile(tmp_path):
    result = _run(
        tmp_path, ["-m", "quartier", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_the_tls_proxy_the_check_asks_for_hsts_and_https(tmp_path):
    """The check can fail: the same profile on plain HTTP lacks HSTS and the redirect."""
    profile = {**PRODUCTION, "QUARTIER_BEHIND_TLS_PROXY": "0"}
    result = _run(
        tmp_path, ["-m", "quartier", "check", "--deploy", "--fail-level", "WARNING"], **profile
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def test_behind_the_tls_proxy_hsts_is_sent_and_plain_http_redirected(tmp_path):
    result = _run(tmp_path, ["-c", REQUESTS], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    secure = answers["secure"]
    assert secure["status"] == 200
    assert secure["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert secure["cross-origin-opener-policy"] == "same-origin"
    assert secure["referrer-policy"] == "same-origin"
    assert "geolocation=(self)" in secure["permissions-policy"]
    assert "'unsafe-inline'" not in secure["content-security-policy"]
    plain = answers["plain"]
    assert plain["status"] == 301
    assert plain["location"] == f"https://{HOST}/"
    assert "strict-transport-security" not in plain  # HSTS only over HTTPS, as browsers need
    # The proxy's or orchestrator's health checks over plain HTTP are not redirected.
    assert answers["plain_health"]["status"] == 200


@pytest.mark.django_db
def test_every_page_names_the_features_it_may_use(client):
    response = client.get("/")
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    assert policy["geolocation"] == "(self)"  # "near me" on the search page
    for feature in ("camera", "microphone", "payment", "usb", "browsing-topics"):
        assert policy[feature] == "()"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


SCALE_OUT = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "cursors": db.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "prepare": db.get("OPTIONS", {}).get("prepare_threshold", "default"),
    "shared": settings.CACHES["shared"]["BACKEND"],
    "default": settings.CACHES["default"]["BACKEND"],
}))
"""


@pytest.mark.parametrize("pooler", ["1", "0"])
def test_the_scale_out_profile_behind_pgbouncer_and_with_redis(tmp_path, pooler):
    """docs/operations.md "Scale-out": PgBouncer's transaction mode needs Django without
    server-side cursors and psycopg without prepared statements; one Redis URL makes the
    throttles' cache shared (Django's own backend, the `redis` package installed)."""
    import json

    result = _run(
        tmp_path,
        ["-c", SCALE_OUT],
        **PRODUCTION,
        DATABASE_URL="postgres://quartier@db.internal:6432/quartier",
        QUARTIER_DB_POOLER=pooler,
        QUARTIER_CACHE_URL="redis://cache.internal:6379/1",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    redis = "django.core.cache.backends.redis.RedisCache"
    assert seen["shared"] == seen["default"] == redis
    if pooler == "1":
        assert seen["cursors"] is True and seen["prepare"] is None
    else:
        assert seen["cursors"] is False and seen["prepare"] == "default"
    __import__("redis")  # the backend's client is installed with the project
