"""One property over every output channel: a value full of hidden characters (controls, bidi,
zero-width, tags, variation selectors... the set in app/text_safety.py) is put in every field
of a real case, and then no channel that shows case text to a person carries any of them:
the PDF read back with pypdf, every CSV cell, README.txt, manifest.json (as JSON escapes,
which read back exactly), the file names in the bundle and the name suggested for it, the
three copy texts, the CLI's lines, its JSON, its usage errors, and the window's labels (the
display, tooltip and accessible text of every cell of the evidence grid and the three record
tables). Channels that show an escape show `\\u202e`.
Line breaks are kept only where a channel says so: between lines of a text or a tooltip,
inside a CSV cell (with tabs), and between the CLI's lines.

A second test opens such a case in the real window and reads every widget on every tab,
with an item selected and a search made: only the fields where a value is edited show it
as it is (editing must not change it)."""

import csv
import io
import json
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.__main__ import main as safekeep
from app.core.guidance.copy_facts import copy_text_for
from app.core.guidance.schema import ChecklistAction
from app.core.records.evidence import list_evidence
from app.core.records.identifiers import add_identifier, list_identifiers
from app.core.records.payments import add_payment, list_payments
from app.core.records.summary import edit_case
from app.core.records.timeline import add_event, list_events
from app.export import export_bundle
from app.export.names import bundle_file_name
from app.models.casefile import CaseFile
from app.text_safety import is_hidden
from app.ui.evidence.model import EvidenceModel
from app.ui.kit.controller import CaseController
from app.ui.records.identifiers_model import HintedIdentifier, IdentifiersModel
from app.ui.records.payments_model import PaymentsModel
from app.ui.records.timeline_model import TimelineModel
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.test_export_support import add_evidence_direct, png_bytes
from tests.test_text_safety import HIDDEN
from tests.ui.shell_support import clock, open_case_in_shell, settle, shell, visible_texts

__all__ = ["clock", "shell"]

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
         Qt.ItemDataRole.AccessibleTextRole)

# At least one hidden character in every value, between ordinary text of any kind.
hostile_value = st.builds(
    lambda before, hidden, after: f"{before}{hidden}{after}",
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    st.text(alphabet=st.sampled_from(HIDDEN + "\n\r\t"), min_size=1, max_size=6),
    st.text(max_size=8),
)


def _hidden_in(text: str, keep: str = "") -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in text if is_hidden(ch) and ch not in keep]


def _fill(case: CaseFile, values: list[str]) -> None:
    edit_case(case, display_name="Case " + values[0], crime_reference=values[0],
              caseworker=values[-1], notes=values[-1])
    for number, value in enumerate(values):
        evidence_id = add_evidence_direct(case, png_bytes(seed=number), value + ".png",
                                          description=value, platform=value)
        add_identifier(case, "other", value, platform=value, note=value,
                       evidence_ids=[evidence_id])
        add_identifier(case, "username", value, platform="Instagram")
        add_payment(case, amount="10", method="other", currency="GBP", reference=value,
                    recipient_name=value, recipient_place=value, note=value)
        add_event(case, datetime(2024, 3, 1, 21, number, tzinfo=UTC), value, kind="threat")


def _bundle_channels(case: CaseFile, work: Path) -> dict[str, tuple[str, str]]:
    """{channel: (text, characters it may keep)} read back from a real bundle."""
    result = export_bundle(case, work / "bundle.zip")
    top = result.folder + "/"
    shown: dict[str, tuple[str, str]] = {}
    with zipfile.ZipFile(result.path) as bundle:
        shown["file names in the bundle"] = ("".join(bundle.namelist()), "")
        pdf = PdfReader(io.BytesIO(bundle.read(top + "report.pdf")))
        shown["report.pdf"] = ("\n".join(page.extract_text() for page in pdf.pages), "\n")
        shown["README.txt"] = (bundle.read(top + "README.txt").decode("utf-8"), "\r\n")
        shown["manifest.json"] = (bundle.read(top + "manifest.json").decode("utf-8"), "\n")
        for name in bundle.namelist():
            if name.endswith(".csv"):
                rows = csv.reader(io.StringIO(bundle.read(name).decode("utf-8-sig"), newline=""))
                shown[name] = ("".join(cell for row in rows for cell in row), "\t\n\r")
    return shown


def _window_labels(case: CaseFile) -> str:
    evidence = EvidenceModel(CaseController(), reader=lambda _case, _id: None)
    evidence.set_rows(list_evidence(case))
    identifiers = IdentifiersModel()
    identifiers.set_rows([HintedIdentifier(row) for row in list_identifiers(case)])
    payments = PaymentsModel()
    payments.set_rows(list_payments(case))
    timeline = TimelineModel()
    timeline.set_rows(list_events(case))
    texts: list[str] = []
    model: QAbstractItemModel
    for model in (evidence, identifiers, payments, timeline):
        for row in range(model.rowCount(QModelIndex())):
            columns = 1 if model is evidence else model.columnCount(QModelIndex())  # a list
            for column in range(columns):
                for role in ROLES:
                    value = model.data(model.index(row, column), role)
                    if isinstance(value, str):
                        texts.append(value)
    return "\n".join(texts)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    try:
        safekeep(list(args))
    except SystemExit:
        pass  # a usage error: its one line is on stderr
    captured = capsys.readouterr()
    return captured.out, captured.err


# A few seconds per example (a case, a bundle, seven CLI runs): no shrinking, which would take
# minutes; the message names the channel and the characters, and Hypothesis the example.
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(hostile_value, min_size=1, max_size=3))
def test_no_channel_shows_a_hidden_character(
    values: list[str], tmp_path: Path, qapp: object, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SAFEKEEP_PASSPHRASE", PASSPHRASE)
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    case = CaseFile.create(work / "case.skcase", PASSPHRASE, display_name="Case",
                           actor="tester", kdf_profile=TEST_KDF_PROFILE)
    try:
        _fill(case, values)
        shown = _bundle_channels(case, work)
        shown["bundle name"] = (bundle_file_name("Case " + values[0], date(2026, 1, 2),
                                                 values[-1]), "")
        for action in (a for a in ChecklistAction if a.copies_text):
            shown[action] = (copy_text_for(case, action), "\n")
        shown["window labels"] = (_window_labels(case), "\n")
        identifiers = list_identifiers(case)
    finally:
        case.close()
    where = str(work / "case.skcase")
    for listing in ("evidence", "identifiers", "payments", "timeline", "audit"):
        shown[f"safekeep list {listing}"] = (_cli(capsys, "list", where, listing)[0], "\n")
    shown["safekeep info"] = (_cli(capsys, "info", where)[0], "\n")
    shown["safekeep: error"] = (_cli(capsys, "list", where, values[0])[1], "\n")
    as_json = _cli(capsys, "list", where, "identifiers", "--json")[0]
    shown["safekeep list --json"] = (as_json, "\n")
    assert [item["value"] for item in json.loads(as_json)["items"]] == [i.value
                                                                      for i in identifiers]

    leaks = [f"{channel}: {' '.join(sorted(set(_hidden_in(text, keep))))}"
             for channel, (text, keep) in shown.items() if _hidden_in(text, keep)]
    assert not leaks, "\n".join(leaks)


def _is_editor(widget: QWidget) -> bool:
    """A field where the person edits a value: it holds the value exactly as saved."""
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox) and widget.isEditable()


def _shown_anywhere() -> list[str]:
    """Every text the app's widgets show or announce, and every item view's cells."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        for widget in [top, *top.findChildren(QWidget)]:
            if not _is_editor(widget):
                texts += visible_texts(widget)
            model = widget.model() if isinstance(widget, QAbstractItemView) else None
            if model is None:
                continue
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
            for row in range(model.rowCount()):
                for column in range(columns):
                    for role in ROLES:
                        value = model.data(model.index(row, column), role)
                        if isinstance(value, str):
                            texts.append(value)
    return texts


def test_the_whole_window_shows_no_hidden_character(
    qtbot: QtBot, shell: SafekeepSession, tmp_path: Path,
) -> None:
    value = "A" + HIDDEN.replace("\udcff", "") + "Z"
    case = CaseFile.create(tmp_path / "case.skcase", PASSPHRASE, display_name="Case " + value,
                           actor="tester", kdf_profile=TEST_KDF_PROFILE)
    _fill(case, [value])
    case.close()
    open_case_in_shell(qtbot, shell, tmp_path / "case.skcase")
    settle(qtbot)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    leaks: dict[str, set[str]] = {}
    for page in range(window.tabs.count()):
        window.tabs.setCurrentIndex(page)
        settle(qtbot)
        if window.tabs.currentWidget() is window.evidence:
            assert window.evidence.select_evidence(window.evidence.model.rows()[0].id)
        if window.tabs.currentWidget() is window.search:
            window.search.query.setText("A")
            qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=5000)
        settle(qtbot)
        for text in _shown_anywhere():
            if _hidden_in(text, "\n"):
                leaks.setdefault(window.tabs.tabText(page), set()).add(text[:80])
    assert window.search.results.count() and window.evidence.details.title.text()
    assert not leaks, leaks
