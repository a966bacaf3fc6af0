"""The encrypted case file: create, open, lock, change the passphrase.

One case = one SQLCipher 4 file (connections and the engine: connection.py). Everything else
in Safekeep reaches the file through `CaseFile.read()` and `write()`; nothing outside this
package knows it is SQLCipher.

Whoever has a case open holds its lock file (filelock.py) from before the SQLite file is opened
until after it is closed, so a second window or program is told the case is in use, also while
the passphrase changes and the file is replaced (rekey.py).
"""

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app import __version__
from app.errors import (
    CaseDiskFull,
    CaseFileAbsent,
    CaseFromNewerVersion,
    CaseLocked,
    InvalidInput,
    NotACaseFile,
    PassphraseChangedCaseClosed,
    WrongPassphrase,
)
from app.i18n import tr
from app.models import kdf
from app.models.audit import append_event
from app.models.case import CaseInfo, FileMeta
from app.models.connection import FORMAT_MARKER, connect, make_engine, set_wal
from app.models.filelock import CaseFileLock
from app.models.gate import WorkGate
from app.models.incomplete import hide_incomplete, remove_incomplete
from app.models.migrations import SCHEMA_VERSION, create_schema, migrate, read_version
from app.models.page_check import PAGE_SIZE, key_reads_later_pages  # a case is whole pages
from app.models.rekey import rekey
from app.models.safe_files import case_error, create_owner_only, looked_up, publish, unpublished

CASE_SUFFIX = ".skcase"
_SQLITE_HEADER = b"SQLite format 3\x00"

_NOT_A_CASE = "This file is not a Safekeep case file, or it is damaged."
_CUT_SHORT = ("This case file is damaged or shorter than it should be: it was probably cut off "
              "while it was copied or saved, or its companion file ending in -wal was left "
              "behind. Copy it again from where it came from (with any -wal file beside it), "
              "or open a spare copy of the case, if one was saved.")

# How long a passphrase change waits for other work of this process (an import, text
# recognition) to be done with the case before it gives up and changes nothing.
_QUIET_WAIT_SECONDS = 30.0


def check_looks_like_case(path: Path) -> bytes:
    """Cheap checks before any key is derived (or a passphrase asked for); returns the
    16-byte salt. Never writes."""
    try:
        if stat.S_ISDIR(path.stat().st_mode):
            raise NotACaseFile(tr("This is a folder, not a Safekeep case file."))
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
        size = path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        raise CaseFileAbsent(tr(
            "There is no case file here. If it is on a USB stick or another drive, plug the "
            "drive in; if not, check the name and the folder.")) from None
    except PermissionError:
        raise NotACaseFile(
            tr("Safekeep is not allowed to read this file. Check its permissions.")
        ) from None
    except OSError:  # EIO and the like: a drive going, or one that failed
        raise CaseFileAbsent(tr(
            "This file could not be read. If it is on a USB stick or another drive, check "
            "that the drive is plugged in.")) from None
    if size == 0:
        raise NotACaseFile(tr("This file is empty. It is not a Safekeep case file."))
    if head == _SQLITE_HEADER:
        raise NotACaseFile(tr("This is an ordinary database, not a Safekeep case file."))
    if kdf.profile_for_salt(head) is None:
        raise NotACaseFile(tr(_NOT_A_CASE))
    if size % PAGE_SIZE != 0:  # a case's start, but not whole pages: a copy that stopped
        raise NotACaseFile(tr(_CUT_SHORT))
    return head


class CaseFile:
    """An unlocked case. Create with `CaseFile.create` or `CaseFile.open`; `close()` locks it."""

    def __init__(self, path: Path, engine: Engine, lock: CaseFileLock, actor: str) -> None:
        self.path = path
        self.actor = actor
        self._engine: Engine | None = None
        self._lock = lock
        self._gate = WorkGate()
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
        if looked_up(target) is not None:
            raise InvalidInput(tr("A file with that name already exists. Choose another name."))
        folder = looked_up(target.parent)
        if folder is None or not stat.S_ISDIR(folder.st_mode):
            raise InvalidInput(tr("That folder does not exist. Choose another place."))
        profile = kdf.PROFILES[kdf_profile]
        salt = kdf.new_salt(profile)
        raw_key = kdf.sqlcipher_raw_key(kdf.derive_key(passphrase, salt, profile), salt)
        partial = target.with_name(f".{target.name}.creating-{secrets.token_hex(4)}")
        # Locked before the file appears, so nobody else opens it before we have.
        lock = CaseFileLock(target)
        lock.acquire()
        try:
            with unpublished(partial):
                create_owner_only(partial)
                set_wal(partial, raw_key)
                engine = make_engine(partial, raw_key)
                with (
                    Session(engine.execution_options(safekeep_write=True)) as session,
                    session.begin(),
                ):
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
            # Open the published file with the key we already hold: deriving it again would
            # cost the person another half second for nothing.
            engine = make_engine(target, raw_key)
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
        opened_with: str | None = None,
    ) -> "CaseFile":
        """Unlock a case. A failed open never changes the file.

        `record_open` writes a "case.open" audit event (so a person can later see when the case
        was last opened); read-only tools such as `info` and `check` pass False. `opened_with`
        is recorded in it: the command ("safekeep export"), so the window's "was that you?"
        can say a script of the person's own did it.
        """
        target = Path(path)
        check_looks_like_case(target)  # "no case file here" before a lock file is made
        lock = CaseFileLock(target)
        lock.acquire()
        engine: Engine | None = None
        try:
            # The salt is read under the lock: a passphrase change elsewhere may have just
            # replaced the file, and a key made with the old file's salt opens nothing.
            salt = check_looks_like_case(target)
            profile = kdf.profile_for_salt(salt)
            assert profile is not None  # check_looks_like_case refused unknown profiles
            key = kdf.derive_key(passphrase, salt, profile)
            raw_key = kdf.sqlcipher_raw_key(key, salt)
            engine = make_engine(target, raw_key)
            try:
                _verify_and_migrate(engine)
            except WrongPassphrase:
                if key_reads_later_pages(target, key, salt):
                    raise NotACaseFile(tr(
                        "The passphrase is right, but the first part of this case file is "
                        "damaged, so it cannot be opened. A spare copy of the case, if one was "
                        "saved, will open."
                    )) from None
                raise
            except NotACaseFile:
                # The key is right (its pages verify), yet SQLite refuses the file: most often
                # a copy cut short by whole pages, or a case left without its -wal file.
                if key_reads_later_pages(target, key, salt):
                    raise NotACaseFile(tr(_CUT_SHORT)) from None
                raise
            case = cls(target, engine, lock, actor)
            with case.write() as session:
                remove_incomplete(session, actor)  # left by a process killed mid-import
                if record_open:
                    append_event(session, actor, "case.open", "case",
                                 {"with": opened_with} if opened_with else {})
        except BaseException:
            if engine is not None:
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
        with self._gate.use():
            self.engine  # noqa: B018 - raises CaseLocked when locked
            try:
                with self._write_sessions() as session, session.begin():
                    yield session
            except SADatabaseError as exc:
                error = case_error(self.path, exc)
                if isinstance(error, CaseDiskFull):
                    self.give_back_log_room()
                raise error from None

    def give_back_log_room(self) -> None:
        """Fold the write-ahead log into the case file and cut it to nothing; if that cannot be
        done now (a reader in the way, the disk still too full), the case's close does it.
        SQLite keeps the log's file at its largest for reuse: after a write that filled the
        disk (rolled back) the person's disk stayed full for as long as the case was open,
        whatever they freed; and on a nearly full disk, the room the log holds is wanted for
        the next evidence."""
        with contextlib.suppress(Exception), self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._gate.use():
            self.engine  # noqa: B018 - raises CaseLocked when locked
            try:
                with self._read_sessions() as session:
                    yield session
            except SADatabaseError as exc:
                raise case_error(self.path, exc) from None

    @contextlib.contextmanager
    def bare_connection(self) -> Iterator[Any]:
        """A keyed SQLCipher connection of the case's own, outside any transaction (ATTACH
        needs one): for copying the case whole (case_copy.py). Held like any other work, so
        locking the case waits for it."""
        with self._gate.use(), self.engine.connect() as conn:
            yield conn.connection.dbapi_connection

    def drop_idle_connections(self) -> None:
        """Close the connections waiting in the pool; the next reads open fresh ones. After a
        damaged page was met without an error (see records.has_damaged_pages), a connection
        that read it can fail every statement after it."""
        self.engine.dispose()

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
            conn = connect(self.path, raw_key)
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
        """Re-encrypt the whole case under a new passphrase (and a new salt): see rekey.py.

        With `current_passphrase` (the window asks for it: anyone at an unattended, unlocked
        app could otherwise lock the owner out), nothing changes unless it opens the case.

        Killed at any moment, the path holds either the old case (old passphrase) or the new
        one (new passphrase), complete. The lock file is held throughout, so no other program
        opens the case while it is swapped. Returns only once the new passphrase opens the
        case and the case is open again; an error says whether the passphrase changed
        (`PassphraseChangedCaseClosed`: yes, and the case is now closed) or not (any other).
        """
        if not new_passphrase:
            raise InvalidInput(tr("Choose a passphrase. The case cannot be protected without one."))
        if current_passphrase is not None and not self.passphrase_opens(current_passphrase):
            raise WrongPassphrase(tr("That is not the current passphrase of this case. "
                                     "Nothing was changed."))
        profile = kdf.PROFILES[kdf_profile]
        with self._gate.alone(_QUIET_WAIT_SECONDS):
            old = self.engine
            try:
                new = rekey(self.path, old, new_passphrase, profile, self.actor)
            except PassphraseChangedCaseClosed:
                self.close()
                raise
            # On any other error the old engine stays: it still opens the case, unchanged.
            self._attach_engine(new)
            old.dispose()


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
