"""A detail saved under the wrong type is offered the type it plainly is. Tried by hand: with
"Facebook profile" still chosen, "live:anna.smith.love88" pasted and Enter pressed quickly was
saved as a Facebook profile with a hint that said what it was not, and nothing of what it was."""

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.identifiers import IdentifierType
from app.core.records.identifiers import IdentifierRow, list_identifiers
from app.ui.kit.controller import CaseController
from app.ui.records.identifiers_view import IdentifiersView
from tests.ui.keys import focused, press, put_focus, tab, type_keys
from tests.ui.records_support import show_view
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _details(qtbot: QtBot, controller: CaseController) -> list[IdentifierRow]:
    settle(qtbot)
    return run_in_case(qtbot, controller, list_identifiers)  # type: ignore[return-value]


def _view(qtbot: QtBot, controller: CaseController) -> IdentifiersView:
    view = IdentifiersView(controller)
    show_view(qtbot, view)
    view.start_adding()
    qtbot.waitUntil(view.value_edit.hasFocus, timeout=5000)
    return view


def test_a_skype_id_saved_as_a_facebook_profile_is_offered_its_type(
        qtbot: QtBot, controller: CaseController) -> None:
    view = _view(qtbot, controller)
    assert view.current_type() is IdentifierType.FACEBOOK  # what the form starts with
    type_keys("live:anna.smith.love88")
    press(Qt.Key.Key_Return)  # at once: before the form's own hint could show
    [saved] = _details(qtbot, controller)
    assert saved.type is IdentifierType.FACEBOOK  # kept as the person chose: never changed
    qtbot.waitUntil(lambda: view.row_retype_button.isVisibleTo(view), timeout=5000)
    said = view.message.text()
    assert said.startswith("Saved.")
    assert "better saved as \u201cSkype ID (live:...)\u201d" in said
    assert view.row_retype_button.text() == "Change the type to \u201cSkype ID (live:...)\u201d"
    put_focus(qtbot, view.row_retype_button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _details(qtbot, controller)[0].type is IdentifierType.SKYPE_ID,
                    timeout=5000)
    assert _details(qtbot, controller)[0].value == "live:anna.smith.love88"
    assert "Changed to" in view.message.text()


def test_an_email_typed_as_a_username_gets_the_button_in_the_form(
        qtbot: QtBot, controller: CaseController) -> None:
    view = _view(qtbot, controller)
    put_focus(qtbot, view.type_combo)
    type_keys("Username")
    assert view.current_type() is IdentifierType.USERNAME
    put_focus(qtbot, view.value_edit)
    type_keys("anna.smith.love88@gmail.com")
    qtbot.waitUntil(lambda: view.retype_button.isVisibleTo(view), timeout=5000)
    assert view.retype_button.text() == "Change the type to \u201cE-mail address\u201d"
    tab()
    assert focused() is view.retype_button
    press(Qt.Key.Key_Space)
    assert view.current_type() is IdentifierType.EMAIL
    press(Qt.Key.Key_Return)
    [saved] = _details(qtbot, controller)
    assert (saved.type, saved.value) == (IdentifierType.EMAIL, "anna.smith.love88@gmail.com")
    assert "better saved as" not in view.message.text()


def test_a_name_under_facebook_offers_nothing(qtbot: QtBot, controller: CaseController) -> None:
    """Only a value that plainly is one other type: "Anna Smith" is doubted as a Facebook
    profile (police want the link) but is no other type."""
    view = _view(qtbot, controller)
    type_keys("Anna Smith")
    press(Qt.Key.Key_Return)
    [saved] = _details(qtbot, controller)
    assert saved.type is IdentifierType.FACEBOOK
    assert "Facebook profile" in view.message.text()  # the type's own hint is still said
    assert "better saved as" not in view.message.text()
    assert not view.row_retype_button.isVisibleTo(view)
