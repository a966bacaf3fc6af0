"""One `tr()` for every user-visible string, in every layer, and `tr_n()` for counts.

Core and export code cannot import Qt, yet their messages reach people too. They call this
`tr()`; the desktop app installs Qt's translator as the backend when it starts, so one
translation catalogue covers the window, the CLI and the report.

Counts go through `tr_n()`, which hands translators Qt's numerus form (`%n`): "1 items" is
wrong in English, and other languages have more than two forms, so a count is never glued
into a sentence with `format()`.
"""

from collections.abc import Callable

Translator = Callable[[str, str], str]
#: (context, source text with %n, n) -> the translated text with %n filled in.
PluralTranslator = Callable[[str, str, int], str]


def _identity(context: str, text: str) -> str:
    return text


def _identity_plural(context: str, text: str, n: int) -> str:
    return text.replace("%n", str(n))


_backend: Translator = _identity
_plural_backend: PluralTranslator = _identity_plural


def set_translator(backend: Translator | None, plural: PluralTranslator | None = None) -> None:
    """Install the functions that translate (context, text) and (context, text, n); None
    restores plain English."""
    global _backend, _plural_backend
    _backend = backend or _identity
    _plural_backend = plural or _identity_plural


def tr(text: str, context: str = "Safekeep") -> str:
    """Translate a user-visible string. Format placeholders after translating."""
    return _backend(context, text)


def tr_n(singular: str, plural: str, n: int, context: str = "Safekeep") -> str:
    """A sentence with a count: `%n` in both forms stands for `n`.

    `plural` is the source text translators see (Qt's numerus form: a catalogue gives every
    form its language needs). When no catalogue translates it, the English rule applies.
    Other placeholders are formatted afterwards, as with `tr()`. Untranslated, the count is
    written as English writes it ("12,000 items"); a catalogue's form is kept as it is.
    """
    untranslated = plural.replace("%n", str(n))
    text = _plural_backend(context, plural, n)
    if text == untranslated:
        return (singular if n == 1 else plural).replace("%n", f"{n:,}")
    return text


def rounded_size(size: int) -> str:
    """1.4 MB, 870 bytes: a size to read, in the decimal units drives are sold in."""
    if size < 1000:
        return tr_n("%n byte", "%n bytes", size)
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")
