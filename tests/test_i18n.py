"""Counts in sentences go through `tr_n` (Qt's %n numerus form): never "1 items"."""

import re
from pathlib import Path

from app.i18n import set_translator, tr_n

APP = Path(__file__).resolve().parents[1] / "app"


def test_english_forms_without_a_catalogue() -> None:
    assert tr_n("%n item was left out", "%n items were left out", 1) == "1 item was left out"
    assert tr_n("%n item was left out", "%n items were left out", 0) == "0 items were left out"
    assert tr_n("%n item was left out", "%n items were left out", 7) == "7 items were left out"
    assert tr_n("%n item was left out", "%n items were left out", 198000) == \
        "198,000 items were left out"


def test_a_catalogue_chooses_the_form_for_every_count() -> None:
    # Polish-like: three forms. The plural source goes to the catalogue with n, even for 1.
    def plural(context: str, text: str, n: int) -> str:
        form = "jeden" if n == 1 else "kilka" if 2 <= n % 10 <= 4 else "wiele"
        return f"{form} %n".replace("%n", str(n))

    set_translator(lambda context, text: text, plural)
    try:
        assert tr_n("%n item", "%n items", 1) == "jeden 1"
        assert tr_n("%n item", "%n items", 3) == "kilka 3"
        assert tr_n("%n item", "%n items", 5) == "wiele 5"
    finally:
        set_translator(None)


def test_qt_translate_fills_in_the_count() -> None:
    from PySide6.QtCore import QCoreApplication

    set_translator(lambda ctx, text: QCoreApplication.translate(ctx, text),
                   lambda ctx, text, n: QCoreApplication.translate(ctx, text, None, n))
    try:
        assert tr_n("%n item", "%n items", 1) == "1 item"
        assert tr_n("%n item", "%n items", 12) == "12 items"
    finally:
        set_translator(None)


def test_no_count_is_glued_into_a_sentence() -> None:
    """No "item(s)", and no "{n} things" in a plain tr(): a count goes through tr_n. ("Page
    {n} of {m}" is a position, not a count.)"""
    glued = re.compile(r'tr\(\s*"[^"]*(\(s\)|\{n\} (?!of\b)[a-z])')
    found = [f"{path.relative_to(APP)}:{number}"
             for path in APP.rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if glued.search(line)]
    assert found == []
