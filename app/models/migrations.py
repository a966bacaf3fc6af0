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

SCHEMA_VERSION = 8


def _add_recognised_text(conn: Connection) -> None:
    """Version 2: text recognition. Its text and word boxes get their own table, so listing
    evidence never reads them, and v1's unused evidence_item.ocr_text column goes."""
    for statement in (
        """CREATE TABLE evidence_text (
            evidence_id INTEGER NOT NULL, status TEXT NOT NULL, engine TEXT NOT NULL,
            text TEXT NOT NULL, page_json TEXT NOT NULL, read_at VARCHAR(32) NOT NULL,
            PRIMARY KEY (evidence_id),
            FOREIGN KEY(evidence_id) REFERENCES evidence_item (id) ON DELETE CASCADE
        )""",
        """CREATE TABLE text_suggestion (
            id INTEGER NOT NULL, evidence_id INTEGER NOT NULL, kind TEXT NOT NULL,
            value TEXT NOT NULL, normalised TEXT NOT NULL, platform TEXT,
            boxes_json TEXT NOT NULL, confidence DOUBLE NOT NULL, state TEXT NOT NULL,
            identifier_id INTEGER,
            created_at VARCHAR(32) NOT NULL, PRIMARY KEY (id),
            FOREIGN KEY(evidence_id) REFERENCES evidence_item (id) ON DELETE CASCADE,
            FOREIGN KEY(identifier_id) REFERENCES identifier (id) ON DELETE SET NULL
        )""",
        "CREATE INDEX ix_text_suggestion_evidence_id ON text_suggestion (evidence_id)",
        "CREATE INDEX ix_text_suggestion_normalised ON text_suggestion (normalised)",
        "ALTER TABLE evidence_item DROP COLUMN ocr_text",
    ):
        conn.exec_driver_sql(statement)


def _add_exhibit_numbers(conn: Connection) -> None:
    """Version 3: exhibit references ("AB/1"). Each item's number is its old evidence number,
    which earlier bundles already printed as "Evidence 0012"; the counter starts past every
    number ever given, including items removed since (the audit log names them)."""
    for statement in (
        "ALTER TABLE case_info ADD COLUMN producer_initials TEXT",
        "ALTER TABLE case_info ADD COLUMN next_exhibit INTEGER DEFAULT '1' NOT NULL",
        "ALTER TABLE evidence_item ADD COLUMN exhibit_number INTEGER",
        "UPDATE evidence_item SET exhibit_number = id",
        "CREATE UNIQUE INDEX ix_evidence_item_exhibit_number ON evidence_item (exhibit_number)",
    ):
        conn.exec_driver_sql(statement)
    highest = conn.exec_driver_sql(
        "SELECT max(n) FROM ("
        " SELECT max(id) AS n FROM evidence_item"
        " UNION ALL SELECT max(CAST(substr(subject, 10) AS INTEGER)) FROM audit_event"
        " WHERE subject LIKE 'evidence:%')"
    ).scalar()
    conn.exec_driver_sql("UPDATE case_info SET next_exhibit = ?", (int(highest or 0) + 1,))


def _add_chats(conn: Connection) -> None:
    """Version 4: chat exports read into the case. The export stays one evidence item; what
    was read from it (conversations, messages, attachments linked to the items they became)
    lives in its own tables and goes with the item."""
    for statement in (
        """CREATE TABLE chat_export (
            evidence_id INTEGER NOT NULL, platform TEXT NOT NULL, status TEXT NOT NULL,
            date_order TEXT, note TEXT NOT NULL, updated_at VARCHAR(32) NOT NULL,
            PRIMARY KEY (evidence_id),
            FOREIGN KEY(evidence_id) REFERENCES evidence_item (id) ON DELETE CASCADE
        )""",
        """CREATE TABLE chat_conversation (
            id INTEGER NOT NULL, evidence_id INTEGER NOT NULL, position INTEGER NOT NULL,
            platform TEXT NOT NULL, title TEXT NOT NULL, participants_json TEXT NOT NULL,
            notes_json TEXT NOT NULL, source TEXT NOT NULL, message_count INTEGER NOT NULL,
            first_at TEXT, last_at TEXT, PRIMARY KEY (id),
            FOREIGN KEY(evidence_id) REFERENCES evidence_item (id) ON DELETE CASCADE
        )""",
        "CREATE INDEX ix_chat_conversation_evidence_id ON chat_conversation (evidence_id)",
        """CREATE TABLE chat_message (
            id INTEGER NOT NULL, conversation_id INTEGER NOT NULL, position INTEGER NOT NULL,
            sender TEXT, sent_at TEXT NOT NULL, sort_key TEXT NOT NULL, precision TEXT NOT NULL,
            text TEXT NOT NULL, attachments_json TEXT NOT NULL, links_json TEXT NOT NULL,
            is_system BOOLEAN NOT NULL, is_deleted BOOLEAN NOT NULL,
            media_omitted BOOLEAN NOT NULL, PRIMARY KEY (id),
            FOREIGN KEY(conversation_id) REFERENCES chat_conversation (id) ON DELETE CASCADE
        )""",
        "CREATE UNIQUE INDEX ix_chat_message_conversation_position"
        " ON chat_message (conversation_id, position)",
        """CREATE TABLE chat_attachment (
            message_id INTEGER NOT NULL, member TEXT NOT NULL, evidence_id INTEGER NOT NULL,
            PRIMARY KEY (message_id, member),
            FOREIGN KEY(message_id) REFERENCES chat_message (id) ON DELETE CASCADE,
            FOREIGN KEY(evidence_id) REFERENCES evidence_item (id) ON DELETE CASCADE
        )""",
        "CREATE INDEX ix_chat_attachment_evidence_id ON chat_attachment (evidence_id)",
    ):
        conn.exec_driver_sql(statement)


def _add_reading_images(conn: Connection) -> None:
    """Version 5: the reading-size picture of each image, made at import with its thumbnail,
    so an export only copies it. Items already in the case get none: their report pages are
    decoded at export, as before."""
    conn.exec_driver_sql(
        """CREATE TABLE evidence_reading_image (
            evidence_id INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
            jpeg BLOB NOT NULL, PRIMARY KEY (evidence_id),
            FOREIGN KEY(evidence_id) REFERENCES evidence_item (id) ON DELETE CASCADE
        )"""
    )


def _add_message_details(conn: Connection) -> None:
    """Version 6: the offender's details found in chat messages. A suggestion may name the
    message it was first seen in; a message keeps its sender's own ID where the export gives
    one (Telegram's from_id); an export records that its messages were looked through."""
    # SQLite cannot add a foreign key to a table, so text_suggestion is built again (nothing
    # refers to it) and its rows copied over.
    for statement in (
        "ALTER TABLE text_suggestion RENAME TO text_suggestion_v5",
        "DROP INDEX ix_text_suggestion_evidence_id",
        "DROP INDEX ix_text_suggestion_normalised",
        """CREATE TABLE text_suggestion (
            id INTEGER NOT NULL, evidence_id INTEGER NOT NULL, kind TEXT NOT NULL,
            value TEXT NOT NULL, normalised TEXT NOT NULL, platform TEXT,
            boxes_json TEXT NOT NULL, confidence DOUBLE NOT NULL, state TEXT NOT NULL,
            identifier_id INTEGER, created_at VARCHAR(32) NOT NULL, message_id INTEGER,
            PRIMARY KEY (id),
            FOREIGN KEY(evidence_id) REFERENCES evidence_item (id) ON DELETE CASCADE,
            FOREIGN KEY(identifier_id) REFERENCES identifier (id) ON DELETE SET NULL,
            FOREIGN KEY(message_id) REFERENCES chat_message (id) ON DELETE SET NULL
        )""",
        "INSERT INTO text_suggestion (id, evidence_id, kind, value, normalised, platform,"
        " boxes_json, confidence, state, identifier_id, created_at)"
        " SELECT id, evidence_id, kind, value, normalised, platform, boxes_json, confidence,"
        " state, identifier_id, created_at FROM text_suggestion_v5",
        "DROP TABLE text_suggestion_v5",
        "CREATE INDEX ix_text_suggestion_evidence_id ON text_suggestion (evidence_id)",
        "CREATE INDEX ix_text_suggestion_normalised ON text_suggestion (normalised)",
        "CREATE INDEX ix_text_suggestion_message_id ON text_suggestion (message_id)",
        "ALTER TABLE chat_message ADD COLUMN sender_id TEXT",
        "ALTER TABLE chat_export ADD COLUMN details_found BOOLEAN DEFAULT '0' NOT NULL",
    ):
        conn.exec_driver_sql(statement)


def _add_conversation_me(conn: Connection) -> None:
    """Version 7: which sender of a conversation is the person (their messages go on the
    right), kept with the case instead of forgotten when it locks. None: not chosen yet."""
    conn.exec_driver_sql("ALTER TABLE chat_conversation ADD COLUMN me TEXT")


def _add_month_only_payments(conn: Connection) -> None:
    """Version 8: a payment whose day is not known, only its month ("March 2025")."""
    conn.exec_driver_sql(
        "ALTER TABLE payment ADD COLUMN paid_on_month_only BOOLEAN DEFAULT '0' NOT NULL")


# MIGRATIONS[n] takes a file from version n-1 to version n.
# Write each step as plain SQL or batch operations; never import today's models in a step.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _add_recognised_text,
    3: _add_exhibit_numbers,
    4: _add_chats,
    5: _add_reading_images,
    6: _add_message_details,
    7: _add_conversation_me,
    8: _add_month_only_payments,
}


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
