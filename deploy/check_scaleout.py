"""Starts the production profile of docs/operations.md ("Scale-out") on this machine and checks
that it behaves as one installation: two stateless app servers (gunicorn) behind nginx, the
task worker as its own process, Redis as the shared cache, PostgreSQL as the database.

    .venv/bin/python deploy/check_scaleout.py            (make check-scaleout)

Needs PostgreSQL at QUARTIER_CHECK_DATABASE_URL (default: the local server of the set-up
contract, postgres://postgres@127.0.0.1:5432/quartier_scaleout, created and dropped here).
Installs redis-server and nginx with apt when they are missing. Checks:
 1. both app servers and the proxy answer /readyz;
 2. the throttle counts across app servers (the shared cache): the limit is reached by posts
    spread over both servers;
 3. a mail queued by one app server is sent by the worker process;
 4. an edit made through one app server shows on the other at once (page cache generations);
 5. with one app server stopped, the proxy keeps answering from the other.
Prints one line per check and exits non-zero on the first failure. Not part of `make test`
(it starts five processes); CI-independent, run it after changing deploy/ or settings.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/quartier_scaleout"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_installed(command: str, package: str) -> str:
    sbin = Path("/usr/sbin") / command
    found = shutil.which(command) or (str(sbin) if sbin.exists() else None)
    if found:
        return found
    print(f"installing {package} with apt ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which(command) or f"/usr/sbin/{command}"


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(url, timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"FAIL: {url} did not answer within {seconds:.0f} s")


class Browser:
    """A visitor with cookies (CSRF) who talks to one base URL."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def post(self, url: str, data: dict[str, str], referer: str) -> int:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": referer})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--loadtest",
        metavar="RATE:SECONDS",
        help="after the checks, run bench/loadtest/run.py through the proxy at this rate",
    )
    args = parser.parse_args()
    database = os.environ.get("QUARTIER_CHECK_DATABASE_URL", DEFAULT_DB)
    redis_server = ensure_installed("redis-server", "redis-server")
    nginx = ensure_installed("nginx", "nginx-light")
    work = Path(tempfile.mkdtemp(prefix="quartier-scaleout-"))
    mails = work / "mails"
    mails.mkdir()
    redis_port, proxy_port, port_a, port_b = (free_port() for _ in range(4))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "DATABASE_URL": database,
        "QUARTIER_CACHE_URL": f"redis://127.0.0.1:{redis_port}/1",
        "QUARTIER_DEBUG": "0",
        # TLS is the proxy's job; this check talks plain HTTP over loopback.
        "QUARTIER_SECURE_COOKIES": "0",
        "QUARTIER_BEHIND_TLS_PROXY": "0",
        "QUARTIER_SECRET_KEY": "scale-out-check-only-" + "x" * 40,
        "QUARTIER_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "QUARTIER_CSRF_TRUSTED_ORIGINS": ",".join(
            f"http://127.0.0.1:{port}" for port in (proxy_port, port_a, port_b)
        ),
        "QUARTIER_VAR_DIR": str(work / "var"),
        "QUARTIER_SITE_URL": f"http://127.0.0.1:{proxy_port}",
        "QUARTIER_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "QUARTIER_EMAIL_FILE_PATH": str(mails),
        "QUARTIER_THROTTLE_RATES": json.dumps({"*": [[4, 600]]}),
        "QUARTIER_PAGE_CACHE_SECONDS": "600",
    }
    (work / "var").mkdir()
    processes: list[subprocess.Popen] = []

    def start(args: list[str], name: str) -> subprocess.Popen:
        log = open(work / f"{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    manage = [str(VENV_BIN / "python"), "-m", "quartier"]
    name = urllib.parse.urlparse(database).path.lstrip("/")
    admin = database.rsplit("/", 1)[0] + "/postgres"
    try:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
        start(
            [redis_server, "--port", str(redis_port), "--save", "", "--appendonly", "no"],
            "redis",
        )
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
        )
        gunicorn = str(VENV_BIN / "gunicorn")
        server_a = start([gunicorn, "quartier.wsgi", "-w", "2", "-b", f"127.0.0.1:{port_a}"], "a")
        start([gunicorn, "quartier.wsgi", "-w", "2", "-b", f"127.0.0.1:{port_b}"], "b")
        start([*manage, "db_worker", "--interval", "0.5"], "worker")
        conf = work / "nginx.conf"
        conf.write_text(
            f"""daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {work}/nb; proxy_temp_path {work}/np; fastcgi_temp_path {work}/nf;
  uwsgi_temp_path {work}/nu; scgi_temp_path {work}/ns;
  upstream quartier_app {{
    server 127.0.0.1:{port_a} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:{port_b} max_fails=1 fail_timeout=30s;
    keepalive 8;
  }}
  server {{
    listen 127.0.0.1:{proxy_port};
    location / {{
      proxy_pass http://quartier_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host:$server_port;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
"""
        )
        start([nginx, "-c", str(conf), "-p", str(work)], "nginx")
        proxy, a, b = (f"http://127.0.0.1:{port}" for port in (proxy_port, port_a, port_b))
        for base in (a, b, proxy):
            wait_for(base + "/readyz")
        print("ok 1: both app servers and the proxy answer /readyz")

        # 2. The throttle: four sign-ups a client per ten minutes in every scope, counted in Redis.
        visitor = Browser()
        status, page = visitor.get(a + "/newsletter/")
        slugs = re.findall(r'href="/newsletter/([a-z0-9-]+)/"', page)
        if status != 200 or not slugs:
            raise SystemExit(f"FAIL: no newsletter to sign up for ({status})")
        answers = []
        for index in range(6):
            base = (a, b)[index % 2]
            form_url = f"{base}/newsletter/{slugs[0]}/"
            _status, form = visitor.get(form_url)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
            if token is None:
                raise SystemExit(f"FAIL: no CSRF token on {form_url}")
            answers.append(
                visitor.post(
                    form_url,
                    {
                        "csrfmiddlewaretoken": token.group(1),
                        "email": f"nachbar{index}@example.org",
                        "consent": "on",
                    },
                    referer=form_url,
                )
            )
        if answers[:4] != [200] * 4 or answers[4:] != [429, 429]:
            raise SystemExit(f"FAIL: the throttle did not count across servers: {answers}")
        import redis  # the shared cache's client, a dependency of the project

        keys = redis.Redis(port=redis_port, db=1).dbsize()
        if not keys:
            raise SystemExit("FAIL: nothing was counted in Redis: is QUARTIER_CACHE_URL read?")
        print(f"ok 2: the throttle counts across both app servers in Redis ({answers})")

        # 3. The worker process sends the confirmation mails the app servers queued.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(mails.iterdir())) < 4:
            time.sleep(0.5)
        sent = "".join(path.read_text(errors="replace") for path in mails.iterdir())
        if sent.count("nachbar") < 4:
            raise SystemExit("FAIL: the worker did not send the four confirmation mails")
        print("ok 3: the worker sent the mails both app servers queued")

        # 4. An edit shows on the other app server at once.
        status, areas = visitor.get(a + "/")
        slug = re.search(r'href="/gebiete/([a-z0-9-]+)/"', areas)
        if slug is None:
            raise SystemExit(f"FAIL: no area page found ({status})")
        area_url = f"/gebiete/{slug.group(1)}/"
        for base in (a, b):
            visitor.get(base + area_url)  # both servers now hold the page in their cache
        marker = f"Umbenannt {int(time.time())}"
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from quartier.areas.models import Area; "
                f"a = Area.objects.get(slug={slug.group(1)!r}); a.name = {marker!r}; a.save()",
            ],
            env=env,
            cwd=ROOT,
            check=True,
        )
        time.sleep(1.5)  # each server reads the generation at most once a second
        for base in (a, b):
            _status, page = visitor.get(base + area_url)
            if marker not in page:
                raise SystemExit(f"FAIL: {base} still serves the old area page")
        print("ok 4: an edit shows on both app servers")

        if args.loadtest:
            rate, seconds = args.loadtest.split(":")
            subprocess.run(
                [
                    str(VENV_BIN / "python"),
                    str(ROOT / "bench" / "loadtest" / "run.py"),
                    proxy,
                    "--rate",
                    rate,
                    "--seconds",
                    seconds,
                ],
                check=True,
            )

        # 5. One app server down: the proxy answers from the other.
        server_a.send_signal(signal.SIGTERM)
        server_a.wait(timeout=30)
        codes = [Browser().get(proxy + "/readyz")[0] for _ in range(6)]
        if codes != [200] * 6:
            raise SystemExit(f"FAIL: the proxy did not fail over: {codes}")
        print("ok 5: with one app server stopped the proxy answers from the other")
        return 0
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
        if os.environ.get("QUARTIER_CHECK_KEEP") != "1":
            subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=False)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work}")


if __name__ == "__main__":
    sys.exit(main())
