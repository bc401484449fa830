"""SQLite keeps every answered commit through a power loss: `PRAGMA synchronous=FULL` on each
connection (settings.py, docs/operations.md), with NORMAL and EXTRA as documented choices.

Read back from the connections themselves, since init_command runs on every new connection.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection, connections

SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite pragmas apply to SQLite only"
)


def _pragma(conn, name: str):
    with conn.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@sqlite_only
@pytest.mark.django_db
def test_each_connection_syncs_every_commit() -> None:
    assert SYNCHRONOUS[_pragma(connection, "synchronous")] == "FULL"
    fresh = connections.create_connection("default")
    try:
        assert SYNCHRONOUS[_pragma(fresh, "synchronous")] == "FULL"
        assert _pragma(fresh, "foreign_keys") == 1
    finally:
        fresh.close()


def _settings_in_a_new_process(tmp_path, **environ: str) -> subprocess.CompletedProcess:
    """Opens a file database (WAL needs a file) with the settings under `environ`."""
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA synchronous').fetchone()[0],"
        " c.execute('PRAGMA journal_mode').fetchone()[0])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "QUARTIER_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'durability.sqlite3'}",
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_file_database_is_in_wal_mode_with_full_sync_by_default(tmp_path) -> None:
    result = _settings_in_a_new_process(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "wal"]


def test_normal_is_a_documented_choice_and_nonsense_is_refused(tmp_path) -> None:
    normal = _settings_in_a_new_process(tmp_path, QUARTIER_SQLITE_SYNCHRONOUS="normal")
    assert normal.returncode == 0, normal.stderr
    assert normal.stdout.split() == ["1", "wal"]
    bogus = _settings_in_a_new_process(tmp_path, QUARTIER_SQLITE_SYNCHRONOUS="fast")
    assert bogus.returncode != 0
    assert "QUARTIER_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA" in bogus.stderr
