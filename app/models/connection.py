"""Keyed connections to a SQLCipher case file, and the engine every session goes through.

We open the `sqlcipher3` connection ourselves (an engine `creator`) so that `PRAGMA key` with a
raw key is always the first statement, and the passphrase never passes through a URL or any SQL
text. Shared by opening, creating and re-keying a case.
"""

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from app.errors import NotACaseFile
from app.models.safe_files import translate_db_error

FORMAT_MARKER = "safekeep-case"

# Set once per connection, right after the key:
# - temp_store MEMORY: sorts and temporary tables never reach disk in the clear.
# - secure_delete ON: removed evidence is overwritten, not just unlinked from the b-tree.
# - foreign_keys ON: removing an item removes its content and links in the same transaction.
# - synchronous FULL with journal_mode WAL (set once, stored in the file): every commit is
#   fsynced to the write-ahead log before it returns, so a crash or power cut loses at most
#   the action in flight, and the log is replayed on the next open. WAL also lets the window
#   read while an import writes.
CONNECTION_PRAGMAS = (
    "PRAGMA cipher_log_level = NONE",  # SQLCipher would print "hmac check failed" to stderr
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 10000",
)
# SQLite's own default: a commit that leaves the log over 1,000 pages folds it into the file.
_AUTOCHECKPOINT = "PRAGMA wal_autocheckpoint = 1000"
_HELD = "safekeep_log_folding_held"


def connect(path: Path, raw_key: str) -> Any:
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute(f'PRAGMA key = "{raw_key}"')  # raw_key is hex we made: see kdf.py
        for pragma in CONNECTION_PRAGMAS:
            conn.execute(pragma)
    except BaseException:
        conn.close()
        raise
    return conn


def make_engine(path: Path, raw_key: str) -> Engine:
    # "sqlite://" names the dialect only; the file comes from the creator. The pool is chosen on
    # purpose: a few keyed connections shared by every thread (the stock pysqlcipher dialect
    # would keep one per thread), and no KDF run per connection: the derived key is reused.
    engine = create_engine(
        "sqlite://",
        creator=lambda: connect(path, raw_key),
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

    # SQLite keeps a connection's pager in its error state once it met a damaged page: every
    # later statement on that connection fails, even on tables that are whole. So such a
    # connection is dropped (not the others), and one damaged item cannot block the rest.
    @event.listens_for(engine, "handle_error")
    def _forget_damaged(context: Any) -> None:
        if isinstance(translate_db_error(context.original_exception), NotACaseFile):
            context.is_disconnect = True
            context.invalidate_pool_on_disconnect = False

    # A connection whose commits left the log to a folding thread (hold_log_folding) folds
    # it itself again once it is back in the pool: whatever it writes next is ordinary work.
    @event.listens_for(engine, "checkin")
    def _fold_again(dbapi_conn: Any, record: Any) -> None:
        if dbapi_conn is not None and record.info.pop(_HELD, False):
            try:
                dbapi_conn.execute(_AUTOCHECKPOINT)
            except sqlcipher3.Error:  # broken: its next use fails and the pool drops it
                pass

    return engine


def hold_log_folding(conn: Connection) -> None:
    """The commits of this connection leave the log unfolded (app/models/log_folding.py)
    until it goes back to the pool."""
    conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
    conn.info[_HELD] = True


def set_wal(path: Path, raw_key: str) -> None:
    # Must run outside any transaction, so on a bare connection. Stored in the file.
    conn = connect(path, raw_key)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
