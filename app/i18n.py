"""One `tr()` for every user-visible string, in every layer.

Core and export code cannot import Qt, yet their messages reach people too. They call this
`tr()`; the desktop app installs Qt's translator as the backend when it starts, so one
translation catalogue covers the window, the CLI and the report.
"""

from collections.abc import Callable

Translator = Callable[[str, str], str]


def _identity(context: str, text: str) -> str:
    return text


_backend: Translator = _identity


def set_translator(backend: Translator | None) -> None:
    """Install the function that translates (context, text); None restores plain English."""
    global _backend
    _backend = backend or _identity


def tr(text: str, context: str = "Safekeep") -> str:
    """Translate a user-visible string. Format placeholders after translating."""
    return _backend(context, text)
