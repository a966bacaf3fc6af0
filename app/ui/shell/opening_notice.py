"""What the main window says as a case opens, above its pages: an opening of the case this
person may not remember (a sign someone else has the passphrase), and a case file kept in a
folder a sync program copies online (app/synced_folders.py). Said at the first opening in a
run, not at each unlock after a lock, which a person could only read as a warning."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import tr
from app.synced_folders import SyncedPlaces, copied_sentence
from app.text_safety import visible_line

if TYPE_CHECKING:
    from app.core.records import CaseSummary
    from app.models.casefile import CaseFile

NO_BREAK_HYPHEN = "\u2011"


def opening_notice(summary: CaseSummary | None, case: CaseFile | None) -> str | None:
    """The paragraphs to show as the case opens, or None."""
    said = [last_opened_notice(summary), synced_notice(case.path if case else None)]
    return "\n\n".join(text for text in said if text) or None


def synced_notice(case_file: Path | None) -> str | None:
    """Where the case file is in a folder a sync program copies, and where to read more."""
    found = SyncedPlaces().find(case_file) if case_file is not None else None
    if found is None:
        return None
    return " ".join((copied_sentence(found), tr(
        "The case file is encrypted there. Settings says how to keep the case on this "
        "computer only.")))


def last_opened_notice(summary: CaseSummary | None, now: datetime | None = None) -> str | None:
    """One calm sentence about the previous opening, in local time; None if there was none."""
    if summary is None or summary.last_opened_at is None or summary.last_opened_was_creation:
        return None  # made, and not opened since: no earlier opening to check
    when = summary.last_opened_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # the audit log records UTC
    local = when.astimezone()
    today = (now or datetime.now().astimezone()).date()
    if local.date() == today:
        day = tr("today")
    else:
        day = local.strftime("%A %d %B %Y").replace(" 0", " ")
    command = summary.last_opened_with  # a command: a script's, or typed by the person
    # Short and plain: it shows at every first opening in a run, and two long sentences with
    # "computer account" in them had read as an alarm, and pushed the page down at 125%.
    text = (tr("Last opened {day} at {time}, by the account \u201c{who}\u201d on this "
               "computer, with the command \u201c{command}\u201d.")
            if isinstance(command, str) and command.startswith("safekeep ") else
            tr("Last opened {day} at {time}, by the account \u201c{who}\u201d on this "
               "computer.")).format(
        day=day, time=local.strftime("%H:%M"), who=summary.last_opened_by or "?",
        # A command's hyphens do not break its line ("safekeep add-" / "evidence" at 1024x600).
        command=visible_line(str(command)[:60]).replace("-", NO_BREAK_HYPHEN))
    return text + " " + tr("If that was not you, you may want to change the passphrase, in "
                           "Settings.")
