"""Typed errors that carry one calm sentence a person can act on.

Every error a person may meet is a `SafekeepError`. Its `message` is shown as it is, in the
window's message bar or as one `safekeep: error: ...` line on stderr; `exit_code` follows the
command-line contract in docs/DESIGN.md. Nothing here includes case data or a traceback.
"""

from app.i18n import tr

EXIT_OK = 0
EXIT_PROBLEM_FOUND = 1
EXIT_USAGE = 2
EXIT_WRONG_PASSPHRASE = 3
EXIT_NOT_A_CASE = 4
EXIT_OTHER = 5


class SafekeepError(Exception):
    """Base class: `message` is fit to show a person."""

    exit_code = EXIT_OTHER

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongPassphrase(SafekeepError):
    exit_code = EXIT_WRONG_PASSPHRASE

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or tr(
                "That passphrase does not open this case file. Check it and try again "
                "(capital letters count)."
            )
        )


class NotACaseFile(SafekeepError):
    """Not a Safekeep case, or damaged: empty, truncated, plain SQLite, random bytes."""

    exit_code = EXIT_NOT_A_CASE


class CaseFileAbsent(NotACaseFile):
    """No file to open where the case should be, or none that can be read now: a USB stick or
    drive not plugged in. Unlike the rest, it can come back (the unlock window looks again)."""


class CaseFromNewerVersion(SafekeepError):
    exit_code = EXIT_NOT_A_CASE


class CaseInUse(SafekeepError):
    """Another window or program has the case open."""


class CaseLocked(SafekeepError):
    """The case was locked (idle, quick exit) while something still wanted it."""


class InvalidInput(SafekeepError):
    """A value the person gave cannot be used as it is (not a warning: those never block)."""

    exit_code = EXIT_USAGE


class NotFound(SafekeepError):
    exit_code = EXIT_USAGE


class StorageError(SafekeepError):
    """The disk is full, read-only or gone; nothing already saved was lost."""


class CaseDiskFull(StorageError):
    """The disk that holds the case file is full (SQLite could not write to it)."""


class CaseOutOfReach(StorageError):
    """The case file can no longer be reached where it was opened: the USB stick or drive that
    holds it was taken out, or its network folder went away. Not damage: what was saved before
    is in the file, and the case opens again once the drive is back."""


class PassphraseChangedCaseClosed(SafekeepError):
    """The passphrase did change (only the new one opens the case now), but something after the
    change went wrong, and the case was left closed. Said as such, never as a failure to change."""

    passphrase_changed = True


class Cancelled(SafekeepError):
    """The person pressed Cancel; not a failure."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or tr("Cancelled. Nothing was changed."))


class TextRecognitionMissing(SafekeepError):
    """Tesseract or its English model is not installed alongside Safekeep."""


class ChatExportUnreadable(SafekeepError):
    """A chat export (WhatsApp, Instagram, Messenger, Telegram, Discord, Snapchat) that cannot
    be read into messages: damaged, too large to read whole, or an unsafe ZIP. The file itself
    is untouched; the message says what was wrong in one calm sentence."""


def underlying_os_error(error: BaseException) -> BaseException:
    """An OSError that carries no errno may stand for one that did: ReportLab meets a full disk
    while it writes a page and raises a new OSError of its own words, with the first as its
    context. That first one (the errno says "full disk" or "not allowed"), else `error`."""
    if not isinstance(error, OSError) or error.errno is not None:
        return error
    seen: BaseException | None = error
    for _ in range(8):  # a chain is short; a cycle must not loop
        seen = seen.__cause__ or seen.__context__ if seen is not None else None
        if isinstance(seen, OSError) and seen.errno is not None:
            return seen
    return error
