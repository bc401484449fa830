"""Backups that restore: `quartier backup ARCHIVE` and `quartier restore ARCHIVE`
(docs/operations.md "Backup and restore").

One archive (tar, gzip) holds the database, the media files and `manifest.json`: the engine,
the row count of every table and the SHA-256 of the database file and of every media file.

- SQLite: a consistent copy through SQLite's online backup API (`sqlite3.Connection.backup`)
  while the application keeps running; the row counts are read from that copy.
- PostgreSQL: `pg_dump --format=custom`. The row counts are read in a REPEATABLE READ
  transaction whose snapshot pg_dump uses (`--snapshot`), so counts and dump show the same
  moment even while people write.

A restore first checks every checksum in a scratch directory and refuses a damaged or
foreign archive before it touches anything; it then writes the database (SQLite: through the
backup API into the target file; PostgreSQL: `pg_restore --clean --if-exists`) and the media
files, and compares the restored database's row counts and the restored files' checksums
with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass
class Target:
    """Where a restore writes: a SQLite file or a PostgreSQL database (settings' style
    dict), and the media directory."""

    database: dict[str, Any]
    media_root: Path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for directory, _dirs, files in os.walk(root):
        for name in sorted(files):
            yield Path(directory) / name


def _engine(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Unsupported database engine: {engine}")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    # Names from the catalogue, quoted: no outside input reaches the statement.
    return {
        name: conn.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0]  # noqa: S608
        for name in names
    }


def _pg_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 (catalogue names)
        counts[name] = cursor.fetchone()[0]
    return counts


def _pg_env(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes by environment."""
    args = []
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # pg_dump/pg_restore with arguments from the settings; no shell.
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def backup(archive: Path, *, using: str = "default", media_root: Path | None = None) -> dict:
    """Write the archive; returns its manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[using]
    engine = _engine(connection.settings_dict)
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="quartier-backup-") as scratch:
        scratch_dir = Path(scratch)
        if connection.in_atomic_block:
            raise BackupError("A backup cannot run inside a transaction.")
        if engine == "sqlite":
            db_file = scratch_dir / SQLITE_FILE
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                # Pages are copied under SQLite's own locking: a consistent copy while others
                # keep writing (they are not blocked for the whole copy).
                connection.connection.backup(target)
                counts = _sqlite_counts(target)
            finally:
                target.close()
        else:
            db_file = scratch_dir / PG_FILE
            args, env = _pg_env(connection.settings_dict)
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _pg_counts(cursor)
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={db_file}",
                        *args,
                        str(connection.settings_dict["NAME"]),
                    ],
                    env,
                )
        media = {}
        for path in _media_files(media_root):
            relative = path.relative_to(media_root).as_posix()
            media[relative] = {"size": path.stat().st_size, "sha256": sha256(path)}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": {"file": db_file.name, "sha256": sha256(db_file)},
            "tables": counts,
            "media": media,
        }
        (scratch_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(scratch_dir / MANIFEST, arcname=MANIFEST)
            tar.add(db_file, arcname=db_file.name)
            for relative in media:
                tar.add(media_root / relative, arcname=f"media/{relative}")
        # Only a complete archive gets the name: a crash leaves a .partial file, never a
        # truncated backup under the real name.
        os.replace(partial, archive)
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Refusing archive member {member.name!r}")
        members.append(member)
    return members


def read_manifest(scratch: Path) -> dict:
    try:
        manifest = json.loads((scratch / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("The archive has no readable manifest.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    return manifest


def verify(scratch: Path, manifest: dict) -> None:
    """Every checksum of the manifest against the unpacked files."""
    db_file = scratch / manifest["database"]["file"]
    if not db_file.is_file() or sha256(db_file) != manifest["database"]["sha256"]:
        raise BackupError("The database file in the archive is missing or damaged.")
    for relative, meta in manifest["media"].items():
        path = scratch / "media" / relative
        if not path.is_file() or sha256(path) != meta["sha256"]:
            raise BackupError(f"The media file {relative} in the archive is missing or damaged.")


def restore(archive: Path, *, target: Target, force: bool = False) -> dict:
    """Restore the archive into `target`; returns the manifest. Raises BackupError (and
    changes nothing) when the archive is damaged, of another engine, or the target is not
    empty (unless `force`)."""
    engine = _engine(target.database)
    with tempfile.TemporaryDirectory(prefix="quartier-restore-") as scratch:
        scratch_dir = Path(scratch)
        try:
            with tarfile.open(archive, "r:*") as tar:
                members = _safe_members(tar)
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(scratch_dir, members=members, filter="data")
                else:  # Python before 3.11.4: _safe_members did the checking.
                    tar.extractall(scratch_dir, members=members)  # noqa: S202
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"The archive cannot be read: {exc}") from exc
        manifest = read_manifest(scratch_dir)
        if manifest["engine"] != engine:
            raise BackupError(
                f"The archive holds a {manifest['engine']} database, the target is {engine}."
            )
        verify(scratch_dir, manifest)
        media_root = Path(target.media_root)
        if not force and media_root.exists() and any(media_root.iterdir()):
            raise BackupError(f"{media_root} is not empty (use --force to restore over it).")
        if engine == "sqlite":
            counts = _restore_sqlite(scratch_dir / manifest["database"]["file"], target, force)
        else:
            counts = _restore_pg(scratch_dir / manifest["database"]["file"], target)
        for relative in manifest["media"]:
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(scratch_dir / "media" / relative, destination)
    check(manifest, counts, media_root)
    return manifest


def check(manifest: dict, counts: dict[str, int], media_root: Path) -> None:
    """The restored database's row counts and the restored files against the manifest."""
    if counts != manifest["tables"]:
        differ = sorted(
            name
            for name in set(counts) | set(manifest["tables"])
            if counts.get(name) != manifest["tables"].get(name)
        )
        raise BackupError(f"Row counts differ after the restore: {', '.join(differ[:20])}")
    for relative, meta in manifest["media"].items():
        path = media_root / relative
        if not path.is_file() or sha256(path) != meta["sha256"]:
            raise BackupError(f"The restored media file {relative} differs from the archive.")


def _restore_sqlite(source: Path, target: Target, force: bool) -> dict[str, int]:
    name = str(target.database["NAME"])
    path = Path(name)
    if not force and path.exists() and path.stat().st_size > 0:
        raise BackupError(f"{path} exists (use --force to restore over it).")
    path.parent.mkdir(parents=True, exist_ok=True)
    copy = sqlite3.connect(source)
    destination = sqlite3.connect(path)
    try:
        # Through the backup API, so a database in WAL mode is replaced as a whole.
        copy.backup(destination)
        return _sqlite_counts(destination)
    finally:
        destination.close()
        copy.close()


def _restore_pg(source: Path, target: Target) -> dict[str, int]:
    import psycopg

    database = target.database
    args, env = _pg_env(database)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database['NAME']}",
            *args,
            str(source),
        ],
        env,
    )
    params = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as conn, conn.cursor() as cur:
        return _pg_counts(cur)
