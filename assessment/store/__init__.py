"""The history store: every recorded assessment of a neighbourhood, year after year (docs/store.md).

SQLAlchemy 2 Core over SQLite (the default, one file) or PostgreSQL (``postgresql+psycopg://user@host/db``), the
same code for both. The schema is made and upgraded by the Alembic migrations shipped in this package
(``migrations/``), run when a store is opened, so a store written by one version opens in the next.

Writes are transactions: on SQLite each one takes the write lock at its start (``BEGIN IMMEDIATE``) in WAL mode with a
busy timeout, so concurrent batch workers queue rather than fail; a write that still meets a lock is retried. A
neighbourhood's reporting year is recorded once: recording it again is refused (:class:`AlreadyRecorded`) unless
``replace`` is given.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from assessment.errors import NznError
from assessment.i18n import _

#: ``--store`` given without a URL: the default store (``NZN_STORE`` if set, else :func:`default_store_path`).
DEFAULT = "default"
#: Environment variable naming the default store's URL (or SQLite file).
STORE_ENV = "NZN_STORE"
#: Seconds a SQLite writer waits for another's lock before the attempt fails (and is retried).
BUSY_TIMEOUT_S = 30
#: Attempts of one write that meets a lock or a conflicting concurrent insert.
WRITE_ATTEMPTS = 6


class StoreError(NznError):
    """The store cannot be opened, read or written: a message for people (exit 2)."""


class AlreadyRecorded(StoreError):
    """A neighbourhood's reporting year is already in the store and ``replace`` was not given."""


@dataclass(frozen=True)
class Recorded:
    """One recorded assessment: what the row says beside the results JSON, and the JSON itself (the text as written)."""

    neighbourhood_id: str
    reporting_year: int
    name: str
    city: str
    recorded_at: str
    input_sha256: str
    method_version: str
    factors_version: str
    results_json: str

    @property
    def results(self) -> dict:
        return json.loads(self.results_json)


def default_store_path() -> Path:
    """The default SQLite file: ``history.sqlite`` in the user data folder (platformdirs: ``~/.local/share/nzn`` on Linux,
    ``~/Library/Application Support/nzn`` on macOS, ``%LOCALAPPDATA%\\nzn`` on Windows)."""
    from platformdirs import user_data_path

    return user_data_path("nzn", appauthor=False) / "history.sqlite"


def resolve_url(spec: str | None) -> str:
    """The SQLAlchemy URL of ``--store SPEC``: None or ``default`` -> ``$NZN_STORE`` or the default file; a URL
    (``sqlite:///…``, ``postgresql+psycopg://…``) as given; anything else is a path to a SQLite file."""
    if spec is None or spec == DEFAULT:
        spec = os.environ.get(STORE_ENV) or str(default_store_path())
    if "://" in spec:
        return spec
    return "sqlite:///" + str(Path(spec).expanduser().resolve())


def _row_values(doc: dict, text: str, recorded_at: str) -> dict:
    p, m = doc["profile"], doc["method"]
    return {
        "neighbourhood_id": p["neighbourhood_id"],
        "reporting_year": int(p["reporting_year"]),
        "name": p.get("name", ""),
        "city": p.get("city", ""),
        "recorded_at": recorded_at,
        "input_sha256": doc["input"]["sha256"],
        "input_file_name": doc["input"].get("file_name", ""),
        "method_id": m["method_id"],
        "method_version": m["version"],
        "method_digest": m.get("digest", ""),
        "factors_version": doc["factors_version"],
        "toolkit_version": doc.get("toolkit_version", ""),
        "results_json": text,
    }


def _recorded(row) -> Recorded:
    return Recorded(
        neighbourhood_id=row.neighbourhood_id,
        reporting_year=row.reporting_year,
        name=row.name,
        city=row.city,
        recorded_at=row.recorded_at,
        input_sha256=row.input_sha256,
        method_version=row.method_version,
        factors_version=row.factors_version,
        results_json=row.results_json,
    )


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """An open history store. ``Store(url)`` connects, upgrades the schema to this version's head and is ready."""

    def __init__(self, url: str, create: bool = True):
        from sqlalchemy import create_engine, event
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(
                _("'{url}' is not a store URL: give sqlite:///FILE, postgresql+psycopg://USER@HOST/DB or a file path").format(url=url)
            ) from None
        self.url = parsed.render_as_string(hide_password=True)
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(_("the store must be SQLite or PostgreSQL, got '{url}'").format(url=self.url))
        kwargs: dict = {}
        if self.dialect == "sqlite":
            if parsed.database in (None, "", ":memory:"):
                raise StoreError(_("an in-memory SQLite store keeps nothing: give a file, sqlite:///FILE"))
            folder = Path(parsed.database).parent
            if parsed.database == str(default_store_path()):
                folder.mkdir(parents=True, exist_ok=True)
            if not create and not Path(parsed.database).is_file():
                raise StoreError(
                    _("there is no store at {url}: record an assessment first (nzn assess INPUT --store)").format(url=self.url)
                )
            if not folder.is_dir():
                raise StoreError(_("cannot open the store {url}: the folder {folder} does not exist").format(url=self.url, folder=folder))
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_S}
        try:
            self.engine = create_engine(parsed, **kwargs)
        except (NoSuchModuleError, ImportError, ArgumentError) as exc:
            raise StoreError(_("cannot open the store {url}: {reason}").format(url=self.url, reason=exc)) from None
        if self.dialect == "sqlite":

            @event.listens_for(self.engine, "connect")
            def _sqlite_connect(dbapi_connection, _record) -> None:
                dbapi_connection.isolation_level = None  # SQLAlchemy, not the driver, begins transactions (below)
                cur = dbapi_connection.cursor()
                cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA foreign_keys = ON")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _sqlite_begin(conn) -> None:
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock at the start: no upgrade from a read lock to fail

        self._with_retry(self._upgrade)

    # -- schema -------------------------------------------------------------------------------------------------
    def revision(self) -> str | None:
        """The schema revision the store is at (None: no schema yet)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def _upgrade(self) -> None:
        """Bring the schema to this version's head in one transaction (one opener at a time: the SQLite write lock, or
        a PostgreSQL advisory lock)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from sqlalchemy import text

        from assessment.store.schema import HEAD_REVISION

        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(2020202020)"))
            if MigrationContext.configure(conn).get_current_revision() == HEAD_REVISION:
                return
            cfg = Config()
            cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    # -- writing ------------------------------------------------------------------------------------------------
    def _with_retry(self, fn, *args):
        from sqlalchemy.exc import IntegrityError, OperationalError

        for attempt in range(WRITE_ATTEMPTS):
            try:
                return fn(*args)
            except IntegrityError:
                # another writer inserted the same neighbourhood and year between our check and our insert: look again
                if attempt == WRITE_ATTEMPTS - 1:
                    raise StoreError(_("the store {url} kept changing under this write; try again").format(url=self.url)) from None
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS - 1 or not _transient(exc):
                    raise StoreError(_("cannot use the store {url}: {reason}").format(url=self.url, reason=_reason(exc))) from None
            time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    def record(self, texts: Iterable[str], replace: bool = False, recorded_at: str | None = None) -> list[Recorded]:
        """Record results JSON documents (the text of ``nzn assess --json``) in one transaction: all or none. A
        neighbourhood's year already recorded (or given twice) is refused, with every such year named, unless ``replace``.

        ``texts`` is read one document at a time, each parsed, written and let go, so a batch of 10,000 holds one in
        memory, not 10,000 (``nzn batch --store`` passes one that reads each file when it comes to it). It must be an
        iterable that can be read again, as a list can: a write retried after a concurrent writer reads it anew."""
        return self._with_retry(self._record, texts, recorded_at or now_utc(), replace)

    def _record(self, texts: Iterable[str], when: str, replace: bool) -> list[Recorded]:
        from sqlalchemy import and_, insert, select, update

        from assessment.store.schema import assessments as t

        out = []
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(select(_pg_lock()))
            taken, seen, twice = [], set(), set()
            for text in texts:
                v = _row_values(json.loads(text), text, when)
                key = (v["neighbourhood_id"], v["reporting_year"])
                if key in seen:
                    twice.add(key)
                seen.add(key)
                where = and_(t.c.neighbourhood_id == v["neighbourhood_id"], t.c.reporting_year == v["reporting_year"])
                exists = conn.execute(select(t.c.id).where(where)).first()
                if exists is not None and not replace:
                    if key not in twice:
                        taken.append(key)
                    continue
                if exists is not None:
                    conn.execute(update(t).where(where).values(**v))
                else:
                    conn.execute(insert(t).values(**v))
                out.append(Recorded(**{k: v[k] for k in Recorded.__dataclass_fields__}))
            # raising inside the transaction rolls it back: nothing of this call is kept
            if twice and not replace:
                raise AlreadyRecorded(
                    _("these neighbourhoods and years are given more than once: {list}").format(
                        list=", ".join(f"{i} {y}" for i, y in sorted(twice))
                    )
                )
            if taken:
                raise AlreadyRecorded(
                    _("already in the store {url}: {list}; nothing was recorded (give --replace to replace them)").format(
                        url=self.url, list=", ".join(f"{i} {y}" for i, y in taken)
                    )
                )
        return out

    # -- reading ------------------------------------------------------------------------------------------------
    def _read(self, stmt) -> list:
        from sqlalchemy.exc import OperationalError

        try:
            with self.engine.connect() as conn:
                return list(conn.execute(stmt))
        except OperationalError as exc:
            raise StoreError(_("cannot read the store {url}: {reason}").format(url=self.url, reason=_reason(exc))) from None

    def years(self, neighbourhood_id: str) -> list[Recorded]:
        """Every recorded year of one neighbourhood, oldest first."""
        from sqlalchemy import select

        from assessment.store.schema import assessments as t

        rows = self._read(select(t).where(t.c.neighbourhood_id == neighbourhood_id).order_by(t.c.reporting_year))
        return [_recorded(r) for r in rows]

    def previous(self, neighbourhood_id: str, reporting_year: int) -> Recorded | None:
        """The latest recorded year of the neighbourhood before ``reporting_year`` (None: none earlier)."""
        earlier = [r for r in self.years(neighbourhood_id) if r.reporting_year < reporting_year]
        return earlier[-1] if earlier else None

    def neighbourhoods(self) -> list[dict]:
        """Each recorded neighbourhood: id, name and city (of its latest year), and its recorded years, by id."""
        from sqlalchemy import select

        from assessment.store.schema import assessments as t

        rows = self._read(
            select(t.c.neighbourhood_id, t.c.reporting_year, t.c.name, t.c.city).order_by(t.c.neighbourhood_id, t.c.reporting_year)
        )
        out: dict[str, dict] = {}
        for r in rows:
            e = out.setdefault(r.neighbourhood_id, {"neighbourhood_id": r.neighbourhood_id, "years": []})
            e.update(name=r.name, city=r.city)
            e["years"].append(r.reporting_year)
        return list(out.values())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _pg_lock():
    """Recording on PostgreSQL takes a transaction-scoped advisory lock: concurrent writers queue, as on SQLite."""
    from sqlalchemy import func

    return func.pg_advisory_xact_lock(2020202021)


def _transient(exc) -> bool:
    text = str(exc.orig).lower() if getattr(exc, "orig", None) is not None else str(exc).lower()
    return any(w in text for w in ("locked", "busy", "deadlock", "could not serialize", "serialization"))


def _reason(exc) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def open_store(spec: str | None, create: bool = True) -> Store:
    """Open the store ``--store SPEC`` names (see :func:`resolve_url`); with ``create`` false a missing SQLite file is
    refused rather than made (reading commands)."""
    return Store(resolve_url(spec), create=create)
