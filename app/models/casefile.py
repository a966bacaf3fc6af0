"""The encrypted case file: create, open, lock, change the passphrase.

One case = one SQLCipher 4 file. We open the `sqlcipher3` connection ourselves (an engine
`creator`) so that `PRAGMA key` with a raw key is always the first statement, and the
passphrase never passes through a URL or any SQL text. Everything else in Safekeep reaches the
file through `CaseFile.session()`; nothing outside this package knows it is SQLCipher.
"""

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app import __version__
from app.errors import (
    CaseFromNewerVersion,
    CaseLocked,
    InvalidInput,
    NotACaseFile,
    WrongPassphrase,
)
from app.i18n import tr
from app.models import kdf
from app.models.audit import append_event
from app.models.case import CaseInfo, FileMeta
from app.models.filelock import CaseFileLock
from app.models.incomplete import hide_incomplete, remove_incomplete
from app.models.migrations import SCHEMA_VERSION, create_schema, migrate, read_version
from app.models.safe_files import (
    create_owner_only,
    publish,
    remove_quietly,
    translate_db_error,
    unpublished,
)

CASE_SUFFIX = ".skcase"
PAGE_SIZE = 4096  # SQLCipher 4 default; a case file is always a whole number of pages
FORMAT_MARKER = "safekeep-case"
_SQLITE_HEADER = b"SQLite format 3\x00"

_NOT_A_CASE = "This file is not a Safekeep case file, or it is damaged."

# Set once per connection, right after the key:
# - temp_store MEMORY: sorts and temporary tables never reach disk in the clear.
# - secure_delete ON: removed evidence is overwritten, not just unlinked from the b-tree.
# - foreign_keys ON: removing an item removes its content and links in the same transaction.
# - synchronous FULL with journal_mode WAL (set once, stored in the file): every commit is
#   fsynced to the write-ahead log before it returns, so a crash or power cut loses at most
#   the action in flight, and the log is replayed on the next open. WAL also lets the window
#   read while an import writes.
_CONNECTION_PRAGMAS = (
    "PRAGMA cipher_log_level = NONE",  # SQLCipher would print "hmac check failed" to stderr
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 10000",
)


def _connect(path: Path, raw_key: str) -> Any:
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute(f'PRAGMA key = "{raw_key}"')  # raw_key is hex we made: see kdf.py
        for pragma in _CONNECTION_PRAGMAS:
            conn.execute(pragma)
    except BaseException:
        conn.close()
        raise
    return conn


def _make_engine(path: Path, raw_key: str) -> Engine:
    # "sqlite://" names the dialect only; the file comes from the creator. The pool is chosen on
    # purpose: a few keyed connections shared by every thread (the stock pysqlcipher dialect
    # would keep one per thread), and no KDF run per connection: the derived key is reused.
    engine = create_engine(
        "sqlite://",
        creator=lambda: _connect(path, raw_key),
        module=sqlcipher3.dbapi2,
        poolclass=QueuePool,
        pool_size=3,
        max_overflow=2,
    )

    # Python's sqlite3 opens transactions lazily and inconsistently; we let SQLite autocommit
    # (isolation_level=None) and issue BEGIN ourselves so each unit of work is one transaction.
    # A writer takes the write lock at BEGIN: upgrading a read transaction later can fail with
    # "database is locked" when the window reads while an import writes.
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("safekeep_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _set_wal(path: Path, raw_key: str) -> None:
    # Must run outside any transaction, so on a bare connection. Stored in the file.
    conn = _connect(path, raw_key)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def check_looks_like_case(path: Path) -> bytes:
    """Cheap checks before any key is derived (or a passphrase asked for); returns the
    16-byte salt. Never writes."""
    if path.is_dir():
        raise NotACaseFile(tr("This is a folder, not a Safekeep case file."))
    if not path.exists():
        raise NotACaseFile(tr("There is no case file here. Check the name and the folder."))
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
        size = path.stat().st_size
    except PermissionError:
        raise NotACaseFile(
            tr("Safekeep is not allowed to read this file. Check its permissions.")
        ) from None
    except OSError:
        raise NotACaseFile(tr("This file could not be read.")) from None
    if size == 0:
        raise NotACaseFile(tr("This file is empty. It is not a Safekeep case file."))
    if head == _SQLITE_HEADER:
        raise NotACaseFile(tr("This is an ordinary database, not a Safekeep case file."))
    if size % PAGE_SIZE != 0:
        raise NotACaseFile(tr(_NOT_A_CASE))
    if kdf.profile_for_salt(head) is None:
        raise NotACaseFile(tr(_NOT_A_CASE))
    return head


class CaseFile:
    """An unlocked case. Create with `CaseFile.create` or `CaseFile.open`; `close()` locks it."""

    def __init__(self, path: Path, engine: Engine, lock: CaseFileLock, actor: str) -> None:
        self.path = path
        self.actor = actor
        self._engine: Engine | None = None
        self._lock = lock
        self._attach_engine(engine)

    def _attach_engine(self, engine: Engine) -> None:
        self._engine = engine
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(safekeep_write=True), expire_on_commit=False
        )
        hide_incomplete(self._read_sessions)  # an item still being stored is never seen
        hide_incomplete(self._write_sessions)

    def __repr__(self) -> str:  # never show the key, not even by accident
        state = "open" if self._engine is not None else "locked"
        return f"<CaseFile {self.path.name} {state}>"

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        display_name: str,
        under_18: bool = False,
        actor: str,
        kdf_profile: int = kdf.DEFAULT_PROFILE,
    ) -> "CaseFile":
        """Make a new case. It appears under `path` only once it is complete."""
        target = Path(path)
        if not passphrase:
            raise InvalidInput(tr("Choose a passphrase. The case cannot be protected without one."))
        if target.exists():
            raise InvalidInput(tr("A file with that name already exists. Choose another name."))
        if not target.parent.is_dir():
            raise InvalidInput(tr("That folder does not exist. Choose another place."))
        profile = kdf.PROFILES[kdf_profile]
        salt = kdf.new_salt(profile)
        raw_key = kdf.sqlcipher_raw_key(kdf.derive_key(passphrase, salt, profile), salt)
        partial = target.with_name(f".{target.name}.creating-{secrets.token_hex(4)}")
        with unpublished(partial):
            create_owner_only(partial)
            _set_wal(partial, raw_key)
            engine = _make_engine(partial, raw_key)
            with Session(engine.execution_options(safekeep_write=True)) as session, session.begin():
                create_schema(session.connection())
                session.add_all(
                    [
                        FileMeta(key="format", value=FORMAT_MARKER),
                        FileMeta(key="created_by", value=f"Safekeep {__version__}"),
                        FileMeta(key="kdf", value=profile.describe()),
                        FileMeta(key="case_uuid", value=secrets.token_hex(16)),
                        CaseInfo(id=1, display_name=display_name, under_18=under_18),
                    ]
                )
                append_event(
                    session,
                    actor,
                    "case.create",
                    "case",
                    {"name": display_name, "under_18": under_18},
                )
            engine.dispose()  # last connection closes: the WAL is checkpointed into the file
            publish(partial, target)
        # Open the published file with the key we already hold: deriving it again would cost
        # the person another half second for nothing.
        lock = CaseFileLock(target)
        lock.acquire()
        try:
            engine = _make_engine(target, raw_key)
            _verify_and_migrate(engine)
        except BaseException:
            lock.release()
            raise
        return cls(target, engine, lock, actor)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        actor: str,
        record_open: bool = True,
    ) -> "CaseFile":
        """Unlock a case. A failed open never changes the file.

        `record_open` writes a "case.open" audit event (so a person can later see when the case
        was last opened); read-only tools such as `info` and `check` pass False.
        """
        target = Path(path)
        salt = check_looks_like_case(target)
        profile = kdf.profile_for_salt(salt)
        assert profile is not None  # check_looks_like_case refused unknown profiles
        raw_key = kdf.sqlcipher_raw_key(kdf.derive_key(passphrase, salt, profile), salt)
        lock = CaseFileLock(target)
        lock.acquire()
        engine = _make_engine(target, raw_key)
        try:
            _verify_and_migrate(engine)
            case = cls(target, engine, lock, actor)
            with case.write() as session:
                remove_incomplete(session, actor)  # left by a process killed mid-import
                if record_open:
                    append_event(session, actor, "case.open", "case", {})
        except BaseException:
            engine.dispose()
            lock.release()
            raise
        return case

    # -- using -------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise CaseLocked(tr("The case is locked. Unlock it to carry on."))
        return self._engine

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: everything in the block is committed together, or nothing is."""
        self.engine  # noqa: B018 - raises CaseLocked when locked
        try:
            with self._write_sessions() as session, session.begin():
                yield session
        except SADatabaseError as exc:
            raise translate_db_error(exc) from None

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        self.engine  # noqa: B018 - raises CaseLocked when locked
        try:
            with self._read_sessions() as session:
                yield session
        except SADatabaseError as exc:
            raise translate_db_error(exc) from None

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def close(self) -> None:
        """Lock the case: close every connection and drop the key. Safe to call twice."""
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.dispose()  # the creator closure holding the key goes with the engine
        self._lock.release()

    def __enter__(self) -> "CaseFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- changing the passphrase -------------------------------------------------------------

    def passphrase_opens(self, passphrase: str) -> bool:
        """Does `passphrase` open this case file? Derives the key from the file's own salt and
        tries it on a separate connection; the open case is not touched."""
        self.engine  # noqa: B018 - raises CaseLocked when locked
        salt = check_looks_like_case(self.path)
        profile = kdf.profile_for_salt(salt)
        assert profile is not None
        raw_key = kdf.sqlcipher_raw_key(kdf.derive_key(passphrase, salt, profile), salt)
        try:
            conn = _connect(self.path, raw_key)
        except sqlcipher3.DatabaseError:
            return False
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
        except sqlcipher3.DatabaseError:
            return False
        finally:
            conn.close()

    def change_passphrase(
        self,
        new_passphrase: str,
        *,
        kdf_profile: int = kdf.DEFAULT_PROFILE,
        current_passphrase: str | None = None,
    ) -> None:
        """Re-encrypt the whole case under a new passphrase (and a new salt).

        With `current_passphrase` (the window asks for it: anyone at an unattended, unlocked
        app could otherwise lock the owner out), nothing changes unless it opens the case.

        The case is copied into a new file with the new key (`sqlcipher_export`), the audit
        event is written there, and only then does the new file replace the old one with an
        atomic rename. Killed at any moment, the path holds either the old case (old
        passphrase) or the new one (new passphrase), complete.
        """
        if not new_passphrase:
            raise InvalidInput(tr("Choose a passphrase. The case cannot be protected without one."))
        if current_passphrase is not None and not self.passphrase_opens(current_passphrase):
            raise WrongPassphrase(tr("That is not the current passphrase of this case. "
                                     "Nothing was changed."))
        profile = kdf.PROFILES[kdf_profile]
        salt = kdf.new_salt(profile)
        new_key = kdf.sqlcipher_raw_key(kdf.derive_key(new_passphrase, salt, profile), salt)
        for stale in self.path.parent.glob(f".{self.path.name}.rekey-*"):
            remove_quietly(stale)  # left by a change that was killed part-way: never published
        partial = self.path.with_name(f".{self.path.name}.rekey-{secrets.token_hex(4)}")
        with unpublished(partial):
            create_owner_only(partial)
            with self.engine.connect() as conn:
                dbapi = conn.connection.dbapi_connection
                assert dbapi is not None
                dbapi.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(partial), new_key))
                dbapi.execute("SELECT sqlcipher_export('rekeyed')")
                dbapi.execute(f"PRAGMA rekeyed.user_version = {SCHEMA_VERSION}")
                dbapi.execute("DETACH DATABASE rekeyed")
            _set_wal(partial, new_key)
            new_engine = _make_engine(partial, new_key)
            with (
                Session(new_engine.execution_options(safekeep_write=True)) as session,
                session.begin(),
            ):
                session.merge(FileMeta(key="kdf", value=profile.describe()))
                append_event(
                    session,
                    self.actor,
                    "case.passphrase-changed",
                    "case",
                    {"kdf": profile.describe()},
                )
            new_engine.dispose()
            self.close()
            publish(partial, self.path, replace=True)
        self._lock = CaseFileLock(self.path)
        self._lock.acquire()
        self._attach_engine(_make_engine(self.path, new_key))


def _verify_and_migrate(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()
    except SADatabaseError as exc:
        if "not a database" in str(exc.orig) or "encrypted" in str(exc.orig):
            # A wrong key and a damaged first page look the same to SQLCipher; the cheap
            # checks before the key already caught empty, truncated and plain files.
            raise WrongPassphrase() from None
        raise NotACaseFile(tr(_NOT_A_CASE)) from None
    try:
        with engine.execution_options(safekeep_write=True).begin() as conn:
            version = read_version(conn)
            if version > SCHEMA_VERSION:
                raise CaseFromNewerVersion(
                    tr("This case was made by a newer Safekeep. Update Safekeep to open it.")
                )
            marker = conn.execute(
                select(FileMeta.value).where(FileMeta.key == "format")
            ).scalar_one_or_none()
            if version == 0 or marker != FORMAT_MARKER:
                raise NotACaseFile(tr(_NOT_A_CASE))
            if version < SCHEMA_VERSION:
                migrate(conn, version)
    except SADatabaseError:
        raise NotACaseFile(tr(_NOT_A_CASE)) from None
