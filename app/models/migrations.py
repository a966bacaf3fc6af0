"""Schema versions and the steps between them, shipped inside the package.

The version is `PRAGMA user_version`. A new file gets the current schema from the models
(`create_all`) and the current version. An older file is brought forward one step at a time,
each step in the same transaction as its version bump, so a crash mid-migration leaves the
file at the old version, intact. A file from a newer Safekeep is refused, never guessed at.
`tests/fixtures/` holds a frozen case file for every past version, and a test opens each one
and checks that the migrated schema equals a fresh one.
"""

from collections.abc import Callable

from sqlalchemy import Connection, text

from app.models.base import Base

SCHEMA_VERSION = 1

# MIGRATIONS[n] takes a file from version n-1 to version n.
# Write each step as plain SQL or batch operations; never import today's models in a step.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}


def read_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def _write_version(conn: Connection, version: int) -> None:
    # PRAGMA takes no bound parameters; `version` is an int we control.
    conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")


def create_schema(conn: Connection) -> None:
    Base.metadata.create_all(conn)
    _write_version(conn, SCHEMA_VERSION)


def migrate(conn: Connection, from_version: int) -> None:
    """Bring a file forward to SCHEMA_VERSION. The caller holds the transaction."""
    for target in range(from_version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[target](conn)
        _write_version(conn, target)


def schema_sql(conn: Connection) -> list[str]:
    """The schema as SQLite stores it, for comparing a migrated file with a fresh one."""
    rows = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
    )
    return [" ".join(str(r[0]).split()) for r in rows]
