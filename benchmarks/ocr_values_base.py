"""The shape of the OCR corpus's values: a chat sentence and the details it carries."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.identifiers.normalising import normalise

Label = tuple[str, str]


@dataclass(frozen=True)
class Message:
    text: str
    labels: frozenset[Label]


def label(kind: str, value: str, platform: str | None = None) -> Label:
    """(kind, normalised) exactly as the OCR rules key a detail of this kind."""
    return kind, normalise(kind, value, platform).normalised  # type: ignore[arg-type]
