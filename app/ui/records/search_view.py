"""Search across the whole case: details, evidence names, descriptions and the text read in
pictures, messages read from chat exports, payments, the timeline and the case notes. The
search runs in the worker over the core list functions (the data is in the encrypted file);
results say where each hit is and jump to it (a message, into its conversation)."""

import dataclasses
import re
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.core.reading import DOCUMENT_TYPES, recognised_texts
from app.core.records import (
    amount_text,
    case_summary,
    exhibit_reference,
    kind_label,
    list_events,
    list_evidence,
    list_identifiers,
    list_payments,
    method_label,
    search_messages,
)
from app.i18n import tr, tr_n
from app.models.casefile import CaseFile
from app.text_safety import visible_line
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.view_text import when_words
from app.ui.kit.when_shown import LoadWhenShown
from app.ui.records.search_marks import (
    MARKABLE_ROLE,
    MarkedHitDelegate,
    folded_places,
    search_terms,
)
from app.ui.records.timeline_model import when_text

MAX_HITS = 500
_SPACE = re.compile(r"\s")
_HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # (area, id)


@dataclass(frozen=True)
class SearchHit:
    area: DataArea  # identifiers, evidence, payments, timeline, or the case itself
    item_id: int
    title: str
    snippet: str
    snippet_note: str = ""  # said before the snippet, where it was found ("Read in the picture")
    label: str = ""  # said before the title instead of the area's word ("Evidence AB/3")


def _area_word(area: DataArea) -> str:
    return {DataArea.IDENTIFIERS: tr("Detail"), DataArea.EVIDENCE: tr("Evidence"),
            DataArea.PAYMENTS: tr("Payment"), DataArea.TIMELINE: tr("Timeline"),
            DataArea.CASE: tr("Case notes"), DataArea.MESSAGES: tr("Message")}.get(area, area)


def _snippet(texts: list[str], terms: list[str], width: int = 70) -> str:
    """Around the first word of the query found in `texts`, else around the next word."""
    for term in terms:
        for text in texts:
            folded, places = folded_places(text)
            at = folded.find(term)
            if at >= 0:
                return _piece(text, places[at], width)
    return ""


def _piece(text: str, at: int, width: int = 70) -> str:
    """About `width` letters of `text` around `at`, in whole words: a hit had read "…id they
    would send the video" for "Said they would send the video to my family", which fits whole.
    A word longer than the window (a link) is still cut."""
    start = max(0, min(at - width // 3, len(text) - width))
    end = min(len(text), start + width)
    if start > 0 and not text[start - 1].isspace():
        space = _SPACE.search(text, start, at)
        if space is not None:
            start = space.end()
    if end < len(text) and not text[end].isspace():
        spaces = [m.start() for m in _SPACE.finditer(text, max(start, at), end)]
        if spaces:
            end = spaces[-1]
    piece = " ".join(text[start:end].split())
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def _matches(texts: list[str], terms: list[str]) -> bool:
    folded = "\n".join(texts).casefold()
    return all(term in folded for term in terms)


def search_case(case: CaseFile, query: str) -> list[SearchHit]:
    """Worker thread. Every word of the query must appear in the same item (any field)."""
    terms = search_terms(query)
    if not terms:
        return []
    hits: list[SearchHit] = []

    def consider(area: DataArea, item_id: int, title: str, texts: list[str],
                 otherwise: str = "", label: str = "", unshown: str = "") -> None:
        """`otherwise`: shown when the words are only in the title, which already shows
        them (a message found by its sender shows what it says, not the name again).
        `unshown`: searched but not shown (a sender's account: the message is shown)."""
        if len(hits) < MAX_HITS and _matches([title, *texts, unshown], terms):
            snippet = _snippet(texts, terms) or (_piece(otherwise, 0) if otherwise else "")
            hits.append(SearchHit(area, item_id, title, snippet, label=label))

    for ident in list_identifiers(case):
        # The tidy form finds a value typed another way ("+44 7700 900123" finds "07700
        # 900123"), and is shown only then: "mary okafor" under "Mary Okafor" said nothing.
        tidy = [] if _matches([ident.value], terms) else [ident.normalised]
        consider(DataArea.IDENTIFIERS, ident.id, f"{ident.type.label}: {ident.value}",
                 [ident.note, ident.platform or "", *tidy])
    texts = recognised_texts(case)  # what was read in each picture and PDF
    summary = case_summary(case)
    asked = _exhibit_asked(query)
    for item in list_evidence(case):
        # Each item by its exhibit reference too, as an officer asks about it.
        exhibit = exhibit_reference(summary.producer_initials, item.exhibit_number)
        label = tr("Evidence {exhibit}").format(exhibit=exhibit)
        if asked is not None and asked == item.exhibit_number:  # an officer's "AB/7": first
            hits.insert(0, SearchHit(DataArea.EVIDENCE, item.id, item.original_name, tr(
                "Exhibit {exhibit} in the bundle for police").format(exhibit=exhibit),
                label=label))
        read = texts.get(item.id, "")
        before = len(hits)
        consider(DataArea.EVIDENCE, item.id, item.original_name,
                 [item.description, item.platform or "", item.type_note or "", read], label=label)
        snippet = hits[-1].snippet.strip("…") if len(hits) > before else ""
        if snippet and snippet in " ".join(read.split()):
            # Say where the words came from: a computer's reading, not the person's notes.
            hit = hits[-1]
            hits[-1] = dataclasses.replace(hit, snippet_note=tr("Read in the document:")
                                           if item.detected_type in DOCUMENT_TYPES
                                           else tr("Read in the picture:"))
    for pay in list_payments(case):
        consider(DataArea.PAYMENTS, pay.id,
                 f"{amount_text(pay.amount)} {pay.currency}, {method_label(pay.method)}",
                 [pay.reference, pay.recipient_name, pay.recipient_place, pay.note])
    for event in list_events(case):
        consider(DataArea.TIMELINE, event.id, f"{when_text(event)}: {kind_label(event.kind)}",
                 [event.description])
    room = MAX_HITS - len(hits)
    for message in search_messages(case, query, room) if room > 0 else []:
        # A message opens its conversation, at that message.
        who = message.sender or tr("(system)")
        consider(DataArea.MESSAGES, message.id,
                 # Shown after "Message ·": "Message · Message from Emma" said it twice.
                 tr("From {who}, {when}").format(who=who, when=when_words(message.sent_at)),
                 [message.text], otherwise=message.text, unshown=message.sender_id or "")
    consider(DataArea.CASE, 0, summary.display_name, [summary.notes, summary.crime_reference or ""])
    return hits


_EXHIBIT = re.compile(r"\s*[A-Za-z]{1,5}\s*[/-]\s*([0-9]{1,9})\s*")


def _exhibit_asked(query: str) -> int | None:
    """The exhibit number of a query that is an exhibit reference ("AB/7", "ab-7"): its item
    is found whatever the initials, which may have changed since the bundle was made."""
    found = _EXHIBIT.fullmatch(query)
    return int(found.group(1)) if found else None


class SearchView(QWidget):
    navigate_requested = Signal(object, int)  # DataArea, id (the case itself: (CASE, 0))

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._seq = 0
        self._enter_seq = -1  # the search Enter asked for: its hits take the focus
        self._shown_query = ""  # the query whose hits are listed
        layout = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setAccessibleName(tr("Search the case"))
        self.query.setPlaceholderText(tr("Search names, usernames, descriptions, references…"))
        self.query.setClearButtonEnabled(True)
        layout.addWidget(self.query)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.results = QListWidget()
        self.results.setAccessibleName(tr("Search results: press Enter to open one"))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(self._open)
        self.marks = MarkedHitDelegate(self.results)
        self.results.setItemDelegate(self.marks)
        layout.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # wait for a pause in typing
        self._timer.timeout.connect(self.search)
        self.query.textChanged.connect(self._timer.start)
        self.query.returnPressed.connect(self._search_now)
        # A change searches again, once the tab shows (when_shown.py): a search left in the
        # box must not run on every change made on other tabs.
        self.loader = LoadWhenShown(self, controller, self._search_again, on_open=False)
        controller.case_locked.connect(self.clear)
        controller.data_changed.connect(self._data_changed)

    def typing_field(self) -> QWidget:
        """The field the keyboard goes to when the tab is clicked: what to look for."""
        return self.query

    def start_searching(self) -> None:
        """Put the cursor in the box, with what was there selected so typing replaces it
        (Ctrl+F, or choosing the Search tab)."""
        self.query.setFocus()
        self.query.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Reached with the arrow keys on the tab bar, the focus stays there, so that the next
        # arrow goes on to the next tab (pulled into the box, it stopped here). Chosen with
        # the mouse (its button still down as the page shows), the cursor goes to the box even
        # when the keyboard was on the tab bar, as it is after unlocking: a person clicked
        # "Search", typed, and the words went nowhere.
        clicked = QApplication.mouseButtons() != Qt.MouseButton.NoButton
        if clicked or not isinstance(QApplication.focusWidget(), QTabBar):
            self.start_searching()

    def search(self) -> None:
        self._timer.stop()
        self._seq += 1
        seq, text, case = self._seq, self.query.text(), self._controller.case
        if case is None or not text.strip():
            self.results.clear()
            self.summary.clear()
            return
        self._controller.run(lambda ctx: search_case(case, text),
                             on_result=lambda hits: self._show(seq, text, hits))

    def _search_now(self) -> None:
        # The hits come from the worker after this returns, so the focus moves when they do.
        self.search()
        self._enter_seq = self._seq

    def _show(self, seq: int, query: str, hits: list[SearchHit]) -> None:
        if seq != self._seq:
            return  # an older search; a newer one is on its way
        # The same search run again (the case changed meanwhile) keeps the hit the person is
        # on and where they had scrolled to, rather than throwing them back to the top.
        again = query == self._shown_query
        current = self.results.currentItem()
        wanted = current.data(_HIT_ROLE) if again and current is not None else None
        scrolled = self.results.verticalScrollBar().value() if again else 0
        self._shown_query = query
        self.marks.terms = search_terms(query)  # as search_case matches them
        self.results.clear()
        for hit in hits:
            # Only the hit's own words are marked, not what Safekeep says around them.
            words = f"{hit.label or _area_word(hit.area)} · "
            found_in = [(len(words), len(words) + len(visible_line(hit.title)))]
            words += visible_line(hit.title)
            if hit.snippet and hit.snippet != hit.title:
                words += "\n" + (f"{hit.snippet_note} " if hit.snippet_note else "")
                found_in.append((len(words), len(words) + len(visible_line(hit.snippet))))
                words += visible_line(hit.snippet)
            entry = QListWidgetItem(words)
            entry.setData(_HIT_ROLE, (hit.area, hit.item_id))
            entry.setData(MARKABLE_ROLE, found_in)
            self.results.addItem(entry)
            if wanted is not None and tuple(wanted) == (hit.area, hit.item_id):
                self.results.setCurrentItem(entry)
        self.results.verticalScrollBar().setValue(scrolled)
        if seq == self._enter_seq and hits and self.query.hasFocus():
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
        count = len(hits)
        self.summary.setText(tr("Nothing found.") if not count else
                             tr_n("%n match", "%n matches", count) if count < MAX_HITS else
                             tr_n("The first match", "The first %n matches", count))

    def _open(self, entry: QListWidgetItem) -> None:
        area, item_id = entry.data(_HIT_ROLE)
        self.navigate_requested.emit(DataArea(area), item_id)  # Qt may hand back a str

    def open_result(self, row: int) -> None:
        entry = self.results.item(row)
        if entry is not None:
            self._open(entry)

    def _data_changed(self, area: DataArea) -> None:
        if self.query.text().strip():
            self.loader.request()

    def _search_again(self) -> None:
        if self.query.text().strip():
            self._timer.start()

    def clear(self) -> None:
        self._timer.stop()
        self._seq += 1
        self.query.clear()
        self._shown_query = ""
        self._timer.stop()  # clear() changed the text and restarted it
        self.results.clear()
        self.summary.clear()
