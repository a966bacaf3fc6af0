"""Changing the passphrase of an open case, safely against a crash and against other programs.

The caller holds the case's lock file (see filelock.py) for the whole change, and no work of its
own process is using the case. Then, in order:

1. the case is copied into a new file under the new key (`sqlcipher_export`), in one snapshot,
   and every table is counted on both sides; the audit event is written into the new file;
2. both files are checkpointed and closed, so neither has a write-ahead log (`-wal`) or its
   index (`-shm`) left: SQLite finds those by name, and a log written under the old key would
   otherwise be replayed into the new file, leaving pages under two keys;
3. the new file is read whole under the new key: SQLCipher checks the HMAC of every page,
   SQLite checks the b-trees, and the file must say it is a case;
4. only then does it replace the case, by an atomic rename, made durable.

What the person is told is what happened. Anything failing before the rename leaves the old
case as it was (the new file is removed), and the error says the passphrase was not changed.
Once the rename has happened, the passphrase has changed, whatever fails after it (making the
rename durable, opening the new file again): that is `PassphraseChangedCaseClosed`. Should the
rename itself report a failure, the salt at the case's name (the file's first 16 bytes, new for
every change) tells which file is there.
"""

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.errors import NotACaseFile, PassphraseChangedCaseClosed, SafekeepError, StorageError
from app.i18n import tr
from app.models import kdf
from app.models.audit import append_event
from app.models.case import FileMeta
from app.models.connection import FORMAT_MARKER, connect, make_engine, set_wal
from app.models.migrations import SCHEMA_VERSION
from app.models.safe_files import create_owner_only, fsync_dir, remove_quietly, unpublished

_COMPANIONS = ("-wal", "-shm")


def rekey(path: Path, old: Engine, passphrase: str, profile: kdf.KdfProfile, actor: str) -> Engine:
    """Put the case at `path` (open through `old`) under `passphrase`; returns an engine on the
    new file. `old` is left disposed but usable: on any error but PassphraseChangedCaseClosed,
    the case is as it was and `old` still opens it."""
    salt = kdf.new_salt(profile)
    new_key = kdf.sqlcipher_raw_key(kdf.derive_key(passphrase, salt, profile), salt)
    for stale in path.parent.glob(f".{path.name}.rekey-*"):
        remove_quietly(stale)  # left by a change that was killed part-way: never published
    partial = path.with_name(f".{path.name}.rekey-{secrets.token_hex(4)}")
    with said_not_changed(), unpublished(partial):
        create_owner_only(partial)
        export(old, partial, new_key)
        set_wal(partial, new_key)
        new = make_engine(partial, new_key)
        with Session(new.execution_options(safekeep_write=True)) as session, session.begin():
            session.merge(FileMeta(key="kdf", value=profile.describe()))
            append_event(session, actor, "case.passphrase-changed", "case",
                         {"kdf": profile.describe()})
        settle(new, partial)
        settle(old, path)
        verify_whole(partial, new_key)
        swap(partial, path, salt)
    return reopen(path, new_key, salt)


@contextlib.contextmanager
def said_not_changed() -> Iterator[None]:
    """Errors before the swap say that nothing changed, in the person's words."""
    try:
        yield
    except PassphraseChangedCaseClosed:
        raise
    except SafekeepError as exc:
        raise type(exc)(_not_changed(exc.message)) from exc
    except Exception as exc:
        raise StorageError(_not_changed(
            tr("Something unexpected went wrong. Nothing already saved was lost."))) from exc


def _not_changed(reason: str) -> str:
    return tr("The passphrase was not changed, and the old one still opens the case. {reason}"
              ).format(reason=reason)


def export(old: Engine, partial: Path, new_key: str) -> None:
    """Copy the case into `partial` under `new_key`, in one snapshot, and count every table on
    both sides: a copy that is short of anything is never published."""
    with old.connect() as conn:
        export_into(conn.connection.dbapi_connection, partial, new_key,
                    incomplete=tr("The copy under the new passphrase was not complete."))


def export_into(dbapi: Any, partial: Path, key: str | None, *, incomplete: str) -> None:
    """The case open on `dbapi` copied into the new file `partial` (`sqlcipher_export`), in one
    read snapshot, with every table counted on both sides (`incomplete` is said if one falls
    short). Under `key`; or, with None, under the case's own key and salt: a file attached
    without a key of its own gets the main database's (case_copy.py)."""
    if key is None:
        dbapi.execute("ATTACH DATABASE ? AS copied", (str(partial),))
    else:
        dbapi.execute("ATTACH DATABASE ? AS copied KEY ?", (str(partial), key))
    try:
        dbapi.execute("BEGIN")
        dbapi.execute("SELECT sqlcipher_export('copied')")
        dbapi.execute(f"PRAGMA copied.user_version = {SCHEMA_VERSION}")
        tables = [name for (name,) in dbapi.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table'")]
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            counts = [dbapi.execute(f"SELECT count(*) FROM {side}.{quoted}")  # noqa: S608
                      .fetchone()[0]
                      for side in ("main", "copied")]
            if counts[0] != counts[1]:
                raise NotACaseFile(incomplete)
        dbapi.execute("COMMIT")
    finally:
        if dbapi.in_transaction:
            dbapi.execute("ROLLBACK")
        dbapi.execute("DETACH DATABASE copied")


def settle(engine: Engine, path: Path) -> None:
    """Move everything in the file's write-ahead log into the file itself and close every
    connection, so no `-wal` or `-shm` is left beside it. The caller's lock keeps other
    programs out; the caller made sure no work of this process is using `engine`."""
    with engine.connect() as conn:
        dbapi: Any = conn.connection.dbapi_connection
        busy, _log, _done = dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    engine.dispose()  # the last connection to close removes the log and its index
    if busy:
        raise StorageError(_unsettled())
    no_companions(path)


def _unsettled() -> str:
    return tr("Safekeep could not finish writing to the case file. Nothing already saved was "
              "lost.")


def no_companions(path: Path) -> None:
    for suffix in _COMPANIONS:
        companion = Path(f"{path}{suffix}")
        try:
            size = companion.stat().st_size
        except FileNotFoundError:
            continue
        if suffix == "-wal" and size:
            raise StorageError(_unsettled())  # a log still holding changes: never thrown away
        os.unlink(companion)  # an empty log or its index, with no connection left to it


def verify_whole(path: Path, key: str) -> None:
    """Every page of the file at `path` reads under `key`, and it is a whole case."""
    unreadable = NotACaseFile(tr("The copy under the new passphrase did not read back whole, "
                                 "so it was not used (the disk may be failing)."))
    try:
        conn = connect(path, key)
        try:
            pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            trees = conn.execute("PRAGMA integrity_check").fetchall()
            marker = conn.execute("SELECT value FROM file_meta WHERE key = 'format'").fetchone()
            mode = conn.execute("PRAGMA journal_mode").fetchone()
        finally:
            conn.close()
    except sqlcipher3.DatabaseError:
        raise unreadable from None
    if pages or trees != [("ok",)] or marker != (FORMAT_MARKER,) or mode != ("wal",):
        raise unreadable
    no_companions(path)


def swap(partial: Path, path: Path, salt: bytes) -> None:
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    try:
        os.replace(partial, path)  # POSIX, FAT and Windows alike: all or nothing
    except OSError:
        if salt_at(path) == salt:  # it did happen, whatever the error said
            raise _changed_but_closed() from None
        raise


def reopen(path: Path, key: str, salt: bytes) -> Engine:
    """The passphrase has changed now: open the new file. Anything failing from here on says
    so, and leaves the case closed."""
    try:
        fsync_dir(path.parent)
        if salt_at(path) != salt:
            raise NotACaseFile(tr("The case file is not the one just written."))
        engine = make_engine(path, key)
        try:
            with engine.connect() as conn:
                dbapi: Any = conn.connection.dbapi_connection
                marker = dbapi.execute(
                    "SELECT value FROM file_meta WHERE key = 'format'").fetchone()
            if marker != (FORMAT_MARKER,):
                raise NotACaseFile(tr("The case file is not the one just written."))
        except BaseException:
            engine.dispose()
            raise
        return engine
    except BaseException:
        raise _changed_but_closed() from None


def _changed_but_closed() -> PassphraseChangedCaseClosed:
    return PassphraseChangedCaseClosed(
        tr("The passphrase was changed: only the new one opens this case now. Something went "
           "wrong straight after, so the case was closed. Open it again with the new "
           "passphrase.")
    )


def salt_at(path: Path) -> bytes | None:
    try:
        with path.open("rb") as handle:
            return handle.read(kdf.SALT_BYTES)
    except OSError:
        return None
