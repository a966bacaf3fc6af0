"""Everything in a session that locks the case: locking and asking for the passphrase again,
quick exit, closing, quitting, and undoing the session (tests run many).

The session (session.py) decides when, and logs why; these do the work. Quick exit hides
everything first, then locks, clears our clipboard, and quits.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6

from app.i18n import tr
from app.ui.shell.safety import close_open_dialogs, hide_all_windows

if TYPE_CHECKING:
    from app.ui.shell.session import SafekeepSession

log = logging.getLogger("app.ui.shell.session")  # the session's own log: why it locked


def lock_and_ask(session: SafekeepSession) -> None:
    """Close the dialogs, lock the case, hide the main window, and ask for the passphrase."""
    session.idle.deactivate()
    close_open_dialogs(keep=())
    session.controller.lock()
    if session.main_window is not None:
        session.main_window.hide()
    if session.case_path is not None:
        # Only the passphrase question: the welcome window's words about intimate pictures
        # must not stand on the screen of a computer locked while nobody is at it.
        session.show_unlock(session.case_path, after_lock=True)
        _say_if_log_left(session, session.case_path)
    else:
        session.show_welcome()


def lock_after_passphrase_change(session: SafekeepSession, message: str) -> None:
    """The passphrase changed but the case was closed after it: lock the window as usual, and
    say what happened where the (new) passphrase is asked for."""
    log.info("Locking (closed after a passphrase change)")
    lock_and_ask(session)
    tell_at_unlock(session, message)


def lock_when_out_of_reach(session: SafekeepSession) -> None:
    """The case file can no longer be reached (its USB stick taken out): nothing more can be
    saved or read, and every click would meet the same error. Close the case as a lock does
    and say why where the passphrase is asked for, to open it again once the drive is back."""
    log.info("Locking (the case file can no longer be reached)")
    lock_and_ask(session)
    heading = getattr(session.unlock_dialog, "heading", None)
    if heading is not None:  # not "Everything is saved": the change that met it was not
        heading.setText(tr("The case is locked. Type the passphrase to carry on."))
    tell_at_unlock(session, tr("Safekeep locked the case, as its file can no longer be "
                               "reached. Was the USB stick or drive that holds it taken out? "
                               "Everything saved before is in the case file; the last change "
                               "may not have been saved. Put the drive back, then type the "
                               "passphrase to open the case again."))


def _say_if_log_left(session: SafekeepSession, case_path: Path) -> None:
    """Where the passphrase is asked for again: a full disk kept part of the case in the
    file beside it (app.models.safe_files.log_left_beside)."""
    from app.models.safe_files import log_left_beside

    sentence = log_left_beside(case_path)
    if sentence is not None:
        tell_at_unlock(session, sentence)


def tell_at_unlock(session: SafekeepSession, sentence: str) -> bool:
    """Show `sentence` in the unlock dialog's message bar; False when there is none."""
    from app.ui.kit.message_bar import MessageBar  # not before the first window: it makes `Qt`

    bar = getattr(session.unlock_dialog, "message_bar", None)
    if isinstance(bar, MessageBar):
        bar.show_error(sentence)
        return True
    return False


def hide_lock_and_quit(session: SafekeepSession) -> None:
    """Quick exit: hide everything now; then lock, clear our clipboard, and quit."""
    started = time.perf_counter()
    hide_all_windows()
    try:
        session.idle.deactivate()
        close_open_dialogs(keep=())
        session.controller.lock()  # also clears the clipboard if it holds what we put there
        session.clipboard_guard.clear_if_ours()
    finally:
        # Whatever failed on the way (a case file that could not be closed once had it stop
        # here, the app gone from the screen but still running), Quick exit ends the app.
        session.last_quick_exit_s = time.perf_counter() - started
        if session.quit_on_quick_exit:
            session.app.quit()


def close_and_quit(session: SafekeepSession) -> None:
    hide_all_windows()
    session.shutdown()
    session.app.quit()


def lock_and_forget(session: SafekeepSession) -> None:
    """Lock and forget: on quit, whatever the reason."""
    session.idle.deactivate()
    # Always, even with nothing open: an unlock may be deriving its key right now, and must
    # not go on to open the case (and record an opening nobody saw) after the person left.
    session.controller.lock()
    session.clipboard_guard.clear_if_ours()


def undo_session(session: SafekeepSession) -> None:
    """Undo everything the session did to the application (tests run many sessions). Part of
    the session itself: it reaches the session's own base font, builder and retired dialogs."""
    session.shutdown()
    session.type_warm_up.stop()
    session.filters.remove_all()
    session.app.aboutToQuit.disconnect(session.shutdown)
    session.app.setFont(session._base_font)
    partial = session._builder.partial
    session._builder.stop()
    session.controller.open_gate = None
    for window in (session.welcome, session.main_window, session.unlock_dialog,
                   session.new_case_dialog, partial):
        if window is not None and shiboken6.isValid(window):
            if hasattr(window, "allow_close"):
                window.allow_close = True
            window.hide()
            # Now, not deleteLater(): without a running event loop (tests, shutdown)
            # deferred deletes wait, and hidden windows would pile up.
            shiboken6.delete(window)
    for dialog in session._retired:
        if shiboken6.isValid(dialog):
            shiboken6.delete(dialog)
    session._retired.clear()
    session.welcome = session.main_window = session.unlock_dialog = session.new_case_dialog = None
    session.setParent(None)
    session.deleteLater()
