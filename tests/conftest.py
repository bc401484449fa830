"""Test guards and shared fixtures.

Guards (house style): templates fail on unknown variables (--fail-on-template-vars in
pyproject), warnings are errors (naive datetimes included), and a test fails when anything is
logged at ERROR unless it is marked `allow_error_log`.
"""

from __future__ import annotations

import copy
import logging
import os

import hypothesis
import pytest
from django.conf import settings

from tests.world import World, build_world

# CI runs Hypothesis derandomised: the examples follow from each test's source alone, so a
# failure in CI fails the same way on every rerun and on a developer's machine
# (HYPOTHESIS_PROFILE=ci). Locally the "dev" profile explores new examples on each run.
# Neither times anything: no deadline per example and no "too slow" health check, which fail
# on a loaded machine for reasons that are not the code's (timed assertions are not allowed).
_UNTIMED = {"deadline": None, "suppress_health_check": [hypothesis.HealthCheck.too_slow]}
hypothesis.settings.register_profile(
    "ci", derandomize=True, database=None, print_blob=True, **_UNTIMED
)
hypothesis.settings.register_profile("dev", **_UNTIMED)
hypothesis.settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


def pytest_configure(config: pytest.Config) -> None:
    _migrate_once_per_run(config)
    config.addinivalue_line("markers", "allow_error_log: the test expects an ERROR log record")
    # Plain static storage: tests do not run collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # "__Host-" names need Secure cookies, which the browser tests' plain-HTTP server lacks.
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"
    _verified_force_login()
    _scan_static_files_once()
    _flush_only_written_tables()
    # The page cache outlives a test's rolled-back data: off, but in its own tests.
    settings.QUARTIER_PAGE_CACHE_SECONDS = 0


def _migrate_once_per_run(config: pytest.Config) -> None:
    """Under xdist every worker used to run all migrations on its own test database: about
    30 s of CPU each on a quiet machine, 40-120 s under load, on SQLite and on PostgreSQL
    (docs/testing.md, "Suite time"). Now the first worker of a run migrates as before and
    leaves a copy of its migrated database; a later worker of the same run gets a copy of
    that (SQLite: the backup API into its in-memory database; PostgreSQL: CREATE DATABASE
    ... TEMPLATE) instead of migrating, then post_migrate is sent as `migrate` sends it, so
    the search triggers and the content types are ensured as before. The data migrations'
    rows (synonym groups, vocabularies) are in the copy. --reuse-db and runs without xdist
    migrate as before."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or config.getoption("reuse_db", False):
        return
    import fcntl
    import sqlite3
    import tempfile
    from pathlib import Path

    from django.core import management
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connections
    from django.db.backends.base.creation import BaseDatabaseCreation

    run = workerinput["testrunuid"][:12]
    base = Path(tempfile.gettempdir()) / f"quartier-tests-{run}"
    original = management.call_command
    create_test_db = BaseDatabaseCreation.create_test_db

    def template_name(connection) -> str:
        return f"{connection.settings_dict['NAME']}_tmpl_{run}"[:63]

    def call_command(name, *args, **options):
        if name != "migrate":
            return original(name, *args, **options)
        connection = connections[options.get("database", "default")]
        with open(f"{base}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits for the first's copy
            ready = Path(f"{base}.ready")
            if not ready.exists():
                result = original(name, *args, **options)
                _save_template(connection, template_name(connection), f"{base}.sqlite3")
                ready.write_text(template_name(connection))
                made.append(True)
                return result
            _copy_template(connection, ready.read_text(), f"{base}.sqlite3")
        emit_post_migrate_signal(options.get("verbosity", 0), False, connection.alias)
        return None

    def _save_template(connection, template: str, path: str) -> None:
        if connection.vendor == "sqlite":
            target = sqlite3.connect(path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            return
        name = connection.settings_dict["NAME"]
        connection.close()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
            cursor.execute(
                f"CREATE DATABASE {connection.ops.quote_name(template)}"
                f" WITH TEMPLATE {connection.ops.quote_name(name)}"
            )

    def _copy_template(connection, template: str, path: str) -> None:
        if connection.vendor == "sqlite":
            source = sqlite3.connect(path)
            connection.ensure_connection()
            source.backup(connection.connection)
            source.close()
            return
        name = connection.settings_dict["NAME"]
        connection.close()
        quote = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(template)}")

    def drop_template() -> None:
        """The worker that made the copy removes it when its session ends, under the lock (so
        no other worker is copying it then); a worker arriving later migrates as before."""
        if not made:
            return
        with open(f"{base}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            ready = Path(f"{base}.ready")
            template = ready.read_text()
            ready.unlink()
            Path(f"{base}.sqlite3").unlink(missing_ok=True)
            connection = connections["default"]
            if connection.vendor == "postgresql":
                with connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
        Path(f"{base}.lock").unlink(missing_ok=True)

    def create_test_db_once(self, *args, **kwargs):
        # create_test_db imports call_command when it runs: it gets ours for its `migrate`
        # (keepdb, --reuse-db, goes Django's way).
        if kwargs.get("keepdb"):
            return create_test_db(self, *args, **kwargs)
        management.call_command = call_command
        try:
            return create_test_db(self, *args, **kwargs)
        finally:
            management.call_command = original

    create_test_db_once.__wrapped__ = create_test_db  # type: ignore[attr-defined]
    made: list[bool] = []
    BaseDatabaseCreation.create_test_db = create_test_db_once
    config.add_cleanup(drop_template)


def _verified_force_login() -> None:
    """`client.force_login(user)` logs in with the second factor done, as a login through the
    pages would end (accounts/twofactor.py): staff and admins get a test TOTP device, and the
    session holds it the way django_otp.login leaves it. The production code is unchanged:
    OTPMiddleware checks that device on every request as it does for any session. Tests of
    the second factor itself log in through the pages or remove the device from the session
    (tests/accounts/test_two_factor.py)."""
    from django.test import Client

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY

        from quartier.accounts import twofactor
        from quartier.accounts.rules import forget_scope

        required = twofactor.requires_second_factor(user)
        forget_scope(user)  # the test may change the user's roles afterwards
        if required:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="test device", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    Client._login = _login


def _scan_static_files_once() -> None:
    """WhiteNoise (WHITENOISE_USE_FINDERS above) lists and stats every static file whenever its
    middleware is built, and Django builds the middleware once per test `Client`: about 12 ms
    of CPU per Client, thousands of Clients per run (docs/testing.md, "Suite time"). The scan
    depends only on the files (unchanged during a run) and on the settings in `key`, so its
    result is kept per key and copied into each later middleware; the middleware's own code
    (production's) still serves every request."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    scans: dict[str, dict] = {}

    def add_files_from_finders(self) -> None:
        key = repr(
            (
                self.static_prefix,
                self.max_age,
                self.allow_all_origins,
                self.charset,
                self.index_file,
                self.add_headers_function,
                self.media_types.types_map,
                *(
                    getattr(settings, name, None)
                    for name in (
                        "STATIC_URL",
                        "STATICFILES_DIRS",
                        "STATICFILES_FINDERS",
                        "INSTALLED_APPS",
                        "STORAGES",
                        "WHITENOISE_IMMUTABLE_FILE_TEST",
                    )
                ),
            )
        )
        if key not in scans:
            before = dict(self.files)
            original(self)
            scans[key] = {u: f for u, f in self.files.items() if before.get(u) is not f}
        self.files.update(scans[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


def _flush_only_written_tables() -> None:
    """After each test that commits for real (transaction=True, live_server, ...) Django's
    flush empties every table with one TRUNCATE of all ~180 tables. On PostgreSQL a TRUNCATE
    gives each table (and each of its indexes) a new file, so the flush cost 3 s or more
    under load per test, most of it waiting for the disk (docs/testing.md, "Suite time").
    Here, on PostgreSQL, the tables carrying triggers of their own, with every table that
    references them, are still truncated in one statement (so their TRUNCATE triggers fire
    as before), and the other tables are emptied with DELETE, which costs next to nothing
    for an empty or small table; the foreign keys (Django's are all deferrable) are checked
    at the commit (with a key that is not deferrable the flush goes Django's way). The flush
    runs first the DELETEs, then the TRUNCATE, so what the triggers write stays, as after
    Django's flush. A flush that resets sequences goes Django's way."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no psycopg: SQLite only
        return

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return original(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        with self.connection.cursor() as cursor:
            cursor.execute(_IMMEDIATE_KEYS, [list(tables)])
            if cursor.fetchone()[0]:  # a key checked at once: DELETE order would matter
                return original(self, style, tables, allow_cascade=allow_cascade)
            cursor.execute(_TRIGGER_TABLES, [list(tables)])
            truncated = {name for (name,) in cursor.fetchall()}
        quote = self.quote_name
        deleted = [table for table in tables if table not in truncated]
        sql = ["SET CONSTRAINTS ALL DEFERRED"]
        if deleted:
            sql.append("".join(f"DELETE FROM {quote(table)};" for table in deleted))
        if truncated:
            sql.append(f"TRUNCATE {', '.join(quote(table) for table in sorted(truncated))}")
        return sql

    sql_flush.__wrapped__ = original
    DatabaseOperations.sql_flush = sql_flush


# Foreign keys of the flushed tables (%s) that are not deferrable (Django makes none).
_IMMEDIATE_KEYS = """
SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
WHERE k.contype = 'f' AND NOT k.condeferrable AND c.relname = ANY(%s)
  AND c.relnamespace = current_schema()::regnamespace
"""

# The tables of the flush (%s) that have triggers of their own, and, recursively, every
# table that references one of them by a foreign key (TRUNCATE needs those in the same
# statement).
_TRIGGER_TABLES = """
WITH RECURSIVE flushed AS (
    SELECT c.oid FROM pg_class c
    WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace
), closure(oid) AS (
    SELECT DISTINCT t.tgrelid FROM pg_trigger t
    WHERE NOT t.tgisinternal AND t.tgrelid IN (SELECT oid FROM flushed)
    UNION
    SELECT k.conrelid FROM pg_constraint k JOIN closure ON k.confrelid = closure.oid
    WHERE k.contype = 'f'
)
SELECT relname FROM pg_class WHERE oid IN (SELECT oid FROM closure)
"""


# Modules whose database tests all use the world share one world per module (`_module_world`);
# a module with a test that commits for real (transactional_db, live_server, ...) or with a
# database test that does not ask for the world (it may count on an empty database) builds
# the world per test, as before.
_COMMITTING_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
_PER_TEST_WORLD_MODULES: set[str] = set()


def _commits(item: pytest.Item) -> bool:
    if _COMMITTING_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(
        marker
        and (
            marker.kwargs.get("transaction")
            or marker.kwargs.get("reset_sequences")
            or marker.kwargs.get("serialized_rollback")
        )
    )


def _uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or names & {"db", *_COMMITTING_FIXTURES})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` run in the PostgreSQL run (make test-postgres) only."""
    for item in items:
        module = getattr(item, "module", None)
        if module is None or not _uses_database(item):
            continue
        if _commits(item) or "world" not in getattr(item, "fixturenames", ()):
            _PER_TEST_WORLD_MODULES.add(module.__name__)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        if config.getoption("database_tests_only", False):
            _deselect_database_free(config, items)
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL run of make test")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


_DATABASE_TESTS_ONLY = (
    "--database-tests-only: the tests that use no database are left out of this run (they "
    "ran in the SQLite run of make test, and no database can change their outcome; "
    "docs/testing.md, Suite time)"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="PostgreSQL run of make test: deselect the tests that use no database",
    )


def _deselect_database_free(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests that use no database (no db fixture, no django_db mark, no fixture that sets
    the database up) and carry no skip, skipif, xfail or postgres mark (those may depend on
    the database engine) are deselected: pytest counts them as "deselected" and the summary
    says why (pytest_terminal_summary)."""
    marks = ("skip", "skipif", "xfail", "postgres")
    dropped = [
        item
        for item in items
        if not _uses_database(item)
        # a module fixture may open the database for its tests (test_role_matrix.py)
        and "django_db_setup" not in getattr(item, "fixturenames", ())
        and not any(item.get_closest_marker(m) for m in marks)
    ]
    if dropped:
        kept = set(items) - set(dropped)
        items[:] = [item for item in items if item in kept]
        config.hook.pytest_deselected(items=dropped)


def pytest_report_header(config: pytest.Config) -> str | None:
    return _DATABASE_TESTS_ONLY if config.getoption("database_tests_only", False) else None


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    if config.getoption("database_tests_only", False):
        terminalreporter.write_sep("=", "PostgreSQL run")
        terminalreporter.write_line(_DATABASE_TESTS_ONLY)


@pytest.fixture(autouse=True)
def _fail_on_error_log(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("allow_error_log"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    if errors:
        pytest.fail("ERROR logged during the test: " + "; ".join(r.getMessage() for r in errors))


@pytest.fixture(autouse=True)
def _german(settings) -> None:
    settings.LANGUAGE_CODE = "de"


@pytest.fixture(scope="module")
def _module_world(request: pytest.FixtureRequest, django_db_setup, django_db_blocker):
    """One world per test module, as Django's setUpTestData builds class data once: built
    inside a transaction that stays open for the module and is rolled back at its end; each
    test runs in a savepoint of its own (pytest-django's `db`), so what a test writes is gone
    for the next. Building the world for each of some 700 tests cost minutes per run
    (docs/testing.md, "Suite time"). Other modules get None: see _PER_TEST_WORLD_MODULES."""
    if request.module.__name__ in _PER_TEST_WORLD_MODULES:
        yield None
        return
    from django.db import connections, transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            # The on-commit callbacks the build queued belong to a transaction that is rolled
            # back, so they never run; left queued, they would hide later ones that deduplicate
            # against what is pending (the page cache's generation bump).
            for connection in connections.all(initialized_only=True):
                connection.run_on_commit = []
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db) -> World:
    """A small region with one user per role (see tests/world.py). Each test gets its own
    copy of the module's world objects, so changing them in memory does not leak either."""
    if _module_world is None:
        return build_world()
    return copy.deepcopy(_module_world)


@pytest.fixture
def offline_geocoder(monkeypatch):
    """The geocoder's cache emptied and its transport cut: should a test turn a geocoding
    server on, nothing leaves the machine (tests of offers, organisations and concerns)."""
    from django.core.cache import cache

    from quartier.core import geocoding

    cache.clear()

    def unreachable(url, headers, timeout):
        raise TimeoutError("no network in tests")

    monkeypatch.setattr(geocoding, "_transport", unreachable)


def _forget_pending_bumps() -> None:
    """In a test the transaction never commits, so a bump registered on commit stays listed
    (also after django_capture_on_commit_callbacks ran it); pagecache.bump_after_commit
    registers one per transaction and would add none for the next write. Production commits
    clear the list."""
    from django.db import connection

    from quartier.core import pagecache

    connection.run_on_commit = [
        item for item in connection.run_on_commit if item[1] is not pagecache.bump
    ]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the block's on-commit callbacks as a commit would (tests of the
    answer cache's invalidation)."""
    import contextlib

    @contextlib.contextmanager
    def committed():
        _forget_pending_bumps()
        with django_capture_on_commit_callbacks(execute=True):
            yield
        _forget_pending_bumps()

    return committed


@pytest.fixture
def cached(settings):
    """The answer cache (quartier/core/answercache.py) on for 60 s, empty before and after."""
    from quartier.core import answercache

    settings.QUARTIER_API_CACHE_SECONDS = 60
    answercache.local.clear()
    _forget_pending_bumps()
    yield settings
    answercache.local.clear()
