"""Rows of a long report table made only when the table lays them out, a page at a time.

Its own module: any table of the report may take its rows this way (the exhibits, the
chronology, a chat's transcript); how a row is drawn is report_rows.py's part.
"""

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar, overload

_Source = TypeVar("_Source")
_Row = TypeVar("_Row")


class LazyRows(Sequence[_Row], Generic[_Source, _Row]):
    """A table's rows made from their sources only when the table lays them out, a page at a
    time: the cells of 30,000 rows, made at once, were tens of megabytes held until the end.

    A slice is a view of the same sources (a range of their indexes), not a copy: the table is
    split at every page, and copying the rest of its sources each time made a long table
    quadratic (some 45 million references copied for 30,000 rows)."""

    def __init__(self, sources: Sequence[_Source], make: Callable[[_Source], _Row],
                 _span: range | None = None) -> None:
        self._sources = sources
        self._make = make
        self._span = range(len(sources)) if _span is None else _span

    def __len__(self) -> int:
        return len(self._span)

    @overload
    def __getitem__(self, index: int) -> _Row: ...

    @overload
    def __getitem__(self, index: slice) -> "LazyRows[_Source, _Row]": ...

    def __getitem__(self, index: int | slice) -> "_Row | LazyRows[_Source, _Row]":
        if isinstance(index, slice):
            return LazyRows(self._sources, self._make, self._span[index])
        return self._make(self._sources[self._span[index]])
