"""What the first screen shows is read by the unlock task (app/ui/kit/first_look.py), so the
turn in which the main window is first shown and painted starts no worker that would share the
interpreter with it: on an X display that turn was the longest the window could not answer.

Real case files, the real session and unlock dialog (the passphrase typed, Enter pressed)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from app.core.intake import import_bytes
from app.core.records import add_identifier, case_summary, list_evidence
from app.models import EvidenceSource
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.kit.first_look import CHECKLIST, EVIDENCE
from app.ui.kit.worker import running_tasks
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.shell_support import (
    clock,
    closed_case,
    open_handles_on,
    settle,
    shell,
    unlock_with,
)

__all__ = ["clock", "shell"]


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "PNG")
    return out.getvalue()


def _case_with_two_pictures(make_case: Callable[..., CaseFile]) -> Path:
    case = make_case()
    import_bytes(case, _png("#3070a0"), "first.png", source=EvidenceSource.CLIPBOARD)
    import_bytes(case, _png("#a07030"), "second.png", source=EvidenceSource.CLIPBOARD)
    first = list_evidence(case)[0]
    add_identifier(case, "email", "offender@example.com", evidence_ids=[first.id])
    path = case.path
    case.close()
    return path


def test_the_first_screen_is_there_in_the_turn_the_case_opens(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    path = _case_with_two_pictures(make_case)
    shell.start(str(path))
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=15000)  # built meanwhile
    window = shell.main_window
    assert isinstance(window, MainWindow)
    seen: dict[str, object] = {}

    def as_announced() -> None:
        # Connected after the views' own slots: this runs as the opening is announced, before
        # the event loop has turned once, so only what the views had at once is here.
        seen["rows"] = window.evidence.model.rowCount()
        seen["linked"] = dict(window.evidence._linked)
        seen["checklist"] = window.checklist.progress_label.text()
        seen["reading pictures"] = window.found.reader.is_running()
        seen["tasks"] = len(running_tasks())

    shell.controller.case_opened.connect(as_announced)
    unlock_with(qtbot, shell)

    assert seen["rows"] == 2, "the Evidence grid had its rows without a task of its own"
    first_id = _evidence_ids(shell.controller)[0]
    assert seen["linked"] == {first_id: ["E-mail address: offender@example.com"]}
    assert seen["checklist"], "the checklist had its progress without a task of its own"
    assert seen["reading pictures"] is False, "the text reader waits until the views are quiet"
    assert seen["tasks"] == 0, "nothing shares the interpreter with the window's first turn"
    assert shell.controller.take_first_look(EVIDENCE) is None, "never handed out later"
    assert shell.controller.take_first_look(CHECKLIST) is None

    # The pictures are read all the same, once the views have what they show.
    qtbot.waitUntil(lambda: not window.found.reader.is_running()
                    and shell.controller.case is not None
                    and not _unread(shell.controller), timeout=30000)
    settle(qtbot)
    assert window.evidence.model.rowCount() == 2


def _evidence_ids(controller: CaseController) -> list[int]:
    assert controller.case is not None
    return [item.id for item in list_evidence(controller.case)]


def _unread(controller: CaseController) -> list[int]:
    from app.core.reading.stored import unread_ids

    assert controller.case is not None
    return unread_ids(controller.case)


def test_a_read_that_fails_is_left_to_the_view_and_the_case_opens(
        qtbot: QtBot, make_case: Callable[..., CaseFile],
        caplog: pytest.LogCaptureFixture) -> None:
    path = closed_case(make_case, display_name="Opened anyway")
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)

    def broken(_case: CaseFile) -> object:
        raise RuntimeError("a damaged table")

    controller.open_reads = {"broken": broken,
                             "name": lambda case: case_summary(case).display_name}
    taken: dict[str, object] = {}
    controller.case_opened.connect(lambda: taken.update(
        broken=controller.take_first_look("broken"), name=controller.take_first_look("name"),
        again=controller.take_first_look("name")))
    with caplog.at_level(logging.WARNING):
        controller.unlock(path, PASSPHRASE)
        qtbot.waitUntil(lambda: bool(taken), timeout=15000)
    try:
        assert taken == {"broken": None, "name": "Opened anyway", "again": None}
        assert controller.is_open()
        assert controller.take_first_look("name") is None
        assert "'broken' could not be read" in caplog.text
        assert "damaged table" not in caplog.text, "where, never what: no case data in logs"
    finally:
        controller.lock()


def test_an_opening_locked_at_the_gate_hands_nothing_to_the_next(
        qtbot: QtBot, make_case: Callable[..., CaseFile]) -> None:
    first = closed_case(make_case, name="first", display_name="First case")
    second = closed_case(make_case, name="second", display_name="Second case")
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    held: list[Callable[[], None]] = []
    controller.open_gate = held.append  # the main window is still being built
    controller.open_reads = {"name": lambda case: case_summary(case).display_name}
    names: list[object] = []
    controller.case_opened.connect(lambda: names.append(controller.take_first_look("name")))
    controller.unlock(first, PASSPHRASE)
    qtbot.wait(300)  # the key is derived; the task waits for the window to be built
    assert held and not controller.is_open()
    handles_before = len(open_handles_on(first))
    controller.lock()  # while it waited at the gate: the task stops and closes the case
    assert open_handles_on(first) == [] and handles_before > 0
    held.pop()()  # the gate opens late: the locked opening is not announced
    qtbot.wait(200)
    assert names == [] and not controller.is_open()
    controller.open_gate = None
    controller.unlock(second, PASSPHRASE)
    qtbot.waitUntil(lambda: bool(names), timeout=15000)
    try:
        assert names == ["Second case"]
    finally:
        controller.lock()
