"""`quartier backup` / `quartier restore` (core/backup.py): a restore into a fresh directory has
the same rows, the same files, and its documents download."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from quartier.accounts.models import User
from quartier.core import backup
from quartier.networks.models import DocumentVersion
from quartier.networks.models.bodies import Visibility
from quartier.networks.services.documents import document_add

CONTENT = b"%PDF-1.4\nProtokoll der Stadtteilkonferenz\n%%EOF\n"


def _document(world, settings, media_root: Path) -> DocumentVersion:
    # Through the settings fixture: it resets default_storage, which keeps its location.
    settings.MEDIA_ROOT = media_root
    document = document_add(
        body=world.body,
        title="Protokoll",
        kind="minutes",
        file=SimpleUploadedFile("protokoll.pdf", CONTENT, content_type="application/pdf"),
        user=world.users["admin"],
        visibility=Visibility.PUBLIC,
    )
    return document.versions.get()


def _download(client, version: DocumentVersion) -> bytes:
    url = reverse("networks:document", kwargs={"pk": version.document_id, "number": version.number})
    response = client.get(url)
    assert response.status_code == 200
    return response.content


# Committed rows: SQLite's backup API waits for the source's open transaction to end.
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_fresh_directory(world, tmp_path, settings, client):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run")
    version = _document(world, settings, tmp_path / "media")
    archive = tmp_path / "backups" / "quartier.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "sqlite database" in out.getvalue()
    assert not (tmp_path / "backups" / "quartier.tar.gz.partial").exists()

    fresh = tmp_path / "fresh"
    call_command(
        "restore",
        str(archive),
        "--database-url",
        f"sqlite:///{fresh / 'db.sqlite3'}",
        "--media-root",
        str(fresh / "media"),
        stdout=out,
    )
    assert "Restored and verified" in out.getvalue()
    restored = sqlite3.connect(fresh / "db.sqlite3")
    try:
        counts = backup._sqlite_counts(restored)
        [(email,)] = restored.execute("SELECT email FROM accounts_user WHERE username='admin'")
    finally:
        restored.close()
    # Row counts of the restored database equal the live ones, table by table.
    assert counts == backup._sqlite_counts(connection.connection)
    assert counts["accounts_user"] == User.objects.count() > 0
    assert counts["networks_documentversion"] == DocumentVersion.objects.count() >= 1
    assert email == world.users["admin"].email
    # The file is back, byte for byte, and downloads from the restored media directory.
    stored = fresh / "media" / version.file.name
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == version.sha256
    settings.MEDIA_ROOT = fresh / "media"
    assert _download(client, version) == CONTENT


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_damaged_archives_and_full_targets(world, tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run")
    version = _document(world, settings, tmp_path / "media")
    archive = tmp_path / "quartier.tar.gz"
    manifest = backup.backup(archive)
    assert manifest["media"][version.file.name]["sha256"] == version.sha256

    # The same archive with one media file changed.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data.replace(b"Protokoll", b"Protokall")
            copy.addfile(member, io.BytesIO(data))
    target = backup.Target(
        database={"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "new" / "db"},
        media_root=tmp_path / "new" / "media",
    )
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore(damaged, target=target)
    assert not (tmp_path / "new").exists()

    # A media directory with files in it is not overwritten without --force.
    with pytest.raises(CommandError, match="not empty"):
        call_command(
            "restore",
            str(archive),
            "--database-url",
            f"sqlite:///{tmp_path / 'other.sqlite3'}",
            "--media-root",
            str(tmp_path / "media"),
        )
    # Another engine's archive is refused.
    with pytest.raises(backup.BackupError, match="sqlite database"):
        backup.restore(
            archive,
            target=backup.Target(
                database={"ENGINE": "django.db.backends.postgresql", "NAME": "x"},
                media_root=tmp_path / "pg-media",
            ),
        )
    # Members escaping the directory are refused.
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(backup.BackupError, match="Refusing"):
        backup.restore(evil, target=target)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_a_fresh_database(world, tmp_path, settings, client):
    import psycopg

    version = _document(world, settings, tmp_path / "media")
    archive = tmp_path / "quartier.tar.gz"
    manifest = backup.backup(archive)
    assert manifest["engine"] == "postgresql"
    assert manifest["tables"]["networks_documentversion"] == DocumentVersion.objects.count()
    assert manifest["tables"]["accounts_user"] == User.objects.count()

    live = settings.DATABASES["default"]
    fresh_name = f"{live['NAME']}_restore"
    params = {
        "dbname": "postgres",
        "host": live.get("HOST") or None,
        "port": live.get("PORT") or None,
        "user": live.get("USER") or None,
        "password": live.get("PASSWORD") or None,
        "autocommit": True,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
        admin.execute(f'CREATE DATABASE "{fresh_name}"')
    try:
        target = backup.Target(
            database={**live, "NAME": fresh_name}, media_root=tmp_path / "fresh-media"
        )
        # restore() compares every table's row count and every file's checksum.
        backup.restore(archive, target=target)
        settings.MEDIA_ROOT = tmp_path / "fresh-media"
        assert _download(client, version) == CONTENT
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh_name}" WITH (FORCE)')
