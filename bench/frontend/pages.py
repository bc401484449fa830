"""The public site as a first-time visitor's browser sees it: screenshots of the main pages at a
phone's and a desktop's width (`make screenshots`), and lab figures of the first view (`make
lab-vitals`): Largest Contentful Paint, Cumulative Layout Shift and the bytes transferred, in
Debian's chromium with an empty cache.

    python bench/frontend/pages.py screenshots [--out var/screenshots] [--base URL]
    python bench/frontend/pages.py vitals [--runs 5] [--base URL]

Without --base it serves the demo itself, as production does: a fresh SQLite database in
QUARTIER_VAR_DIR (default /tmp/quartier-frontend) with the demo data, static files collected
and compressed by WhiteNoise, gunicorn with DEBUG off. The dashboard is taken logged in as the
demo coordinator. Figures go to docs/performance.md ("Public pages in the browser").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = (375, 1280)
# The demo coordinator (`seed_demo` prints the logins); only for the dashboard shot. Staff log in
# with a second factor: the demo's published TOTP key (quartier/accounts/demo.py).
DEMO_USER = "quartiersmanagement"
DEMO_PASSWORD = "quartier-demo"  # quartier/core/demo.py
DEMO_TOTP_KEY = b"quartier-demo-totp!!"  # quartier/accounts/demo.py

# LCP and CLS as the page reports them (PerformanceObserver with buffered entries), read once
# the page has loaded and been idle for a moment.
VITALS_JS = """
() => new Promise(resolve => {
  let lcp = 0, cls = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) lcp = entry.renderTime || entry.loadTime || lcp;
  }).observe({type: 'largest-contentful-paint', buffered: true});
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) cls += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({lcp, cls}), 1000);
})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def demo_server() -> Iterator[str]:
    var = os.environ.get("QUARTIER_VAR_DIR", "/tmp/quartier-frontend")
    env = {
        **os.environ,
        "QUARTIER_VAR_DIR": var,
        "QUARTIER_DEBUG": "0",
        "QUARTIER_SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
    }
    env.pop("DATABASE_URL", None)
    Path(var).mkdir(parents=True, exist_ok=True)
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([PYTHON, "-m", "quartier", *command], env=env, check=True, cwd=ROOT)
    if not (Path(var) / ".demo-seeded").exists():
        subprocess.run([PYTHON, "-m", "quartier", "seed_demo"], env=env, check=True, cwd=ROOT)
        (Path(var) / ".demo-seeded").touch()
    port = free_port()
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "quartier.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def discover(base: str) -> dict[str, str]:
    """The pages to look at, found from the site itself (any installation with data)."""

    def fetch(path: str) -> str:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.read().decode(errors="replace")

    home = fetch("/")
    areas = re.findall(r'href="(/gebiete/[a-z0-9-]+/)"', home)
    found = fetch("/angebote/?q=Beratung")
    offers = re.findall(r'href="(/angebote/[0-9a-f-]{36}/)"', found)
    calendar = fetch("/veranstaltungen/")
    events = re.findall(r'href="(/veranstaltungen/[a-z0-9-]+/)"', calendar)
    today = time.localtime()
    pages = {"start": "/", "search": "/angebote/?q=Beratung"}
    if offers:
        pages["offer"] = offers[0]
    if areas:
        pages["area"] = areas[0]
    if events:
        pages["event"] = events[0]
    pages["month"] = f"/veranstaltungen/monat/{today.tm_year}/{today.tm_mon}/"
    pages["dashboard"] = "/verwaltung/"
    return pages


def launch():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def log_in(context, base: str) -> None:  # type: ignore[no-untyped-def]
    from django_otp.oath import totp

    page = context.new_page()
    page.goto(base + "/konto/anmelden/")
    page.fill("input[name=username]", DEMO_USER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", f"{totp(DEMO_TOTP_KEY):06d}")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    page.close()


def screenshots(base: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    pages = discover(base)
    playwright, browser = launch()
    written = []
    try:
        for width in WIDTHS:
            public = browser.new_context(
                locale="de-DE", viewport={"width": width, "height": 900}, base_url=base
            )
            staff = browser.new_context(
                locale="de-DE", viewport={"width": width, "height": 900}, base_url=base
            )
            log_in(staff, base)
            for name, path in pages.items():
                context = staff if name == "dashboard" else public
                page = context.new_page()
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                page.close()
            public.close()
            staff.close()
    finally:
        browser.close()
        playwright.stop()
    return written


def first_view(browser, base: str, path: str, width: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """One first view with an empty cache: LCP (ms), CLS and bytes over the wire."""
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    transferred = [0]
    cdp.on(
        "Network.loadingFinished",
        lambda event: transferred.__setitem__(0, transferred[0] + event["encodedDataLength"]),
    )
    page.goto(base + path, wait_until="load")
    vitals = page.evaluate(VITALS_JS)
    context.close()
    return {"lcp": float(vitals["lcp"]), "cls": float(vitals["cls"]), "bytes": transferred[0]}


def vitals(base: str, runs: int) -> list[dict[str, object]]:
    pages = discover(base)
    playwright, browser = launch()
    rows: list[dict[str, object]] = []
    try:
        for name in ("start", "search", "offer"):
            if name not in pages:
                continue
            for width in WIDTHS:
                samples = [first_view(browser, base, pages[name], width) for _ in range(runs)]
                rows.append(
                    {
                        "page": name,
                        "width": width,
                        "lcp_ms": round(statistics.median(s["lcp"] for s in samples)),
                        "cls": round(statistics.median(s["cls"] for s in samples), 3),
                        "kb": round(statistics.median(s["bytes"] for s in samples) / 1024, 1),
                        "runs": runs,
                    }
                )
    finally:
        browser.close()
        playwright.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("what", choices=["screenshots", "vitals"])
    parser.add_argument("--base", help="a running installation; default: serve the demo")
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with demo_server() if not args.base else _given(args.base) as base:
        if args.what == "screenshots":
            for path in screenshots(base, Path(args.out)):
                print(path)
        else:
            rows = vitals(base, args.runs)
            print(f"{'page':8} {'width':>5} {'LCP ms':>7} {'CLS':>6} {'KB':>7}")
            for row in rows:
                print(
                    f"{row['page']:8} {row['width']:>5} {row['lcp_ms']:>7} "
                    f"{row['cls']:>6} {row['kb']:>7}"
                )
            print(json.dumps(rows))


@contextmanager
def _given(base: str) -> Iterator[str]:
    yield base.rstrip("/")


if __name__ == "__main__":
    main()
