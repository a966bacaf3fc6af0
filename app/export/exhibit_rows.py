"""The snapshot's exhibits: their rows in id order, with the columns looked up again and
again (id, exhibit number, size, sensitive flag) kept beside them in arrays.

Every file of a bundle asks for exhibit references, sizes and which items are withheld, often
for every item. Dictionaries built for that (id -> exhibit number, id -> hash, id -> arrival
facts) cost about 100 bytes an item each and were rebuilt per use; here an item's place is
found by bisection on the id array, and the other columns are read at that place.

Packing the rows a page at a time (pickled and compressed, unpacked on every walk) was tried:
6 MB less at the peak of a 30,000-item export, but every walk unpacked every row again (a
bundle walks its exhibits about 20 times) and a 10,000-item export took 18% longer, which
would have broken the export's time goal; the rows are held as they are.
"""

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise
from typing import overload

from app.core.records import EvidenceRow


class ExhibitRows(Sequence[EvidenceRow]):
    """Evidence rows in the order given (the snapshot's: by id). Reads like a list."""

    def __init__(self, rows: Iterable[EvidenceRow]) -> None:
        self._rows = list(rows)
        self.ids = array("q", (r.id for r in self._rows))
        self.numbers = array("q", (r.exhibit_number for r in self._rows))  # in the same order
        self.sizes = array("q", (r.size for r in self._rows))
        self.sensitive = bytearray(r.sensitive for r in self._rows)
        self._in_id_order = _rising(self.ids)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[EvidenceRow]:
        return iter(self._rows)

    @overload
    def __getitem__(self, index: int) -> EvidenceRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[EvidenceRow]: ...

    def __getitem__(self, index: int | slice) -> EvidenceRow | list[EvidenceRow]:
        return self._rows[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ExhibitRows):
            return self._rows == other._rows
        return isinstance(other, Sequence) and self._rows == list(other)

    __hash__ = None  # type: ignore[assignment]  # a list-like value, compared by content

    def index_of(self, evidence_id: int) -> int:
        """An item's place in this list (KeyError if this list does not hold it)."""
        if self._in_id_order:
            index = bisect_left(self.ids, evidence_id)
            if index < len(self.ids) and self.ids[index] == evidence_id:
                return index
            raise KeyError(evidence_id)
        try:
            return self.ids.index(evidence_id)
        except ValueError:
            raise KeyError(evidence_id) from None

    def by_id(self, evidence_id: int) -> EvidenceRow | None:
        """The row of an item, or None if this list does not hold it."""
        try:
            return self._rows[self.index_of(evidence_id)]
        except KeyError:
            return None

    def number_of(self, evidence_id: int) -> int:
        """The exhibit number of an item (KeyError if this list does not hold it)."""
        return self.numbers[self.index_of(evidence_id)]

    def where(self, keep: Callable[[EvidenceRow], bool]) -> "ExhibitRows":
        """The rows `keep` says yes to, in the same order."""
        return ExhibitRows(row for row in self._rows if keep(row))

    def in_exhibit_order(self) -> Sequence[EvidenceRow]:
        """The rows by exhibit number. Numbers are given in the order items arrive, so this
        is nearly always these rows as they are; otherwise a sorted list."""
        if _rising(self.numbers):
            return self
        return sorted(self._rows, key=lambda e: e.exhibit_number)


def _rising(values: "array[int]") -> bool:
    return all(a < b for a, b in pairwise(values))
