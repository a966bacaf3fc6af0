"""A ReportLab document written to its file as it is made, not held whole until the end.

ReportLab keeps every object of a PDF (each page, its drawing, each picture) in memory until
`save()`, then formats them all into one list of strings and joins it: a report of 1,000
screenshot pages held its 300 MB of pictures two or three times over (a 972 MB peak), and a
case of 30,000 small items held its 2,800 pages. Here each object that can no longer change is
written as soon as it exists (a picture when it is drawn, a page when it is finished), and in
the document it is replaced by a stand-in that keeps only its name, so later references to it
still resolve. The rest (the page tree, fonts, the catalogue) is small and written at the end,
with the cross-reference table of every object's place in the file, as ReportLab writes it.

A PDF's objects may sit in any order in the file: the cross-reference table says where each
one is. The format of each object is ReportLab's own; only when it is written changes.
"""

from typing import Any, Protocol

from reportlab.pdfbase.pdfdoc import (
    PDFCrossReferenceTable,
    PDFDocument,
    PDFFile,
    PDFImageXObject,
    PDFIndirectObject,
    PDFObject,
    PDFPage,
    PDFStream,
    PDFTrailer,
)


class PdfOut(Protocol):
    """Where a PDF is written: a file, or anything with its `write`."""

    def write(self, data: bytes, /) -> int: ...


# Objects that never change once they exist: a picture, a finished page, a page's drawing.
# Everything else (the page tree, which grows; fonts, subset at the end) waits for the end.
_FINAL_KINDS = (PDFImageXObject, PDFPage, PDFStream)
# The header's version: 1.4 allows transparency, the one later feature ReportLab may ask for
# (it would raise the version after the header is written, which cannot then change).
_VERSION = (1, 4)


class _Written(PDFObject):  # type: ignore[misc]  # ReportLab is untyped
    """Stands in for an object already written: its name, so references to it resolve."""

    __RefOnly__ = 1  # inside another object it is always a reference, never written again

    def __init__(self, name: str) -> None:
        self.__InternalName__ = name

    def format(self, document: Any) -> bytes:
        raise AssertionError(f"PDF object {self.__InternalName__} was written already")


class StreamingPdf:
    """Writes the objects of `document` to `out` as they become final (`flush`), and the rest
    with the cross-reference table and trailer when ReportLab saves (its `format` is ours)."""

    def __init__(self, document: PDFDocument, out: PdfOut) -> None:
        self._doc = document
        self._out = out
        self._offset = 0
        self._next = 1  # the lowest object number not yet looked at by flush
        self._pages_let_go = 0  # the page tree's pages before this one are stand-ins
        document._pdfVersion = _VERSION
        document.format = self._format  # what ReportLab's save() calls to get the file
        self._write(PDFFile(_VERSION).strings[0])  # the header, exactly as ReportLab writes it

    def flush(self) -> None:
        """Write every object registered since the last flush that can no longer change.
        Writing a page registers its drawing as a new object, written in the same pass."""
        doc = self._doc
        while self._next <= doc.objectcounter:
            number = self._next
            self._next += 1
            name = doc.numberToId[number]
            obj = doc.idToObject[name]
            if isinstance(obj, _FINAL_KINDS):
                self._write_object(name, obj)
        pages = doc.Pages.pages  # pages are finished in order: the tree needs only names
        while self._pages_let_go < len(pages):
            name = getattr(pages[self._pages_let_go], "__InternalName__", None)
            stand_in = doc.idToObject.get(name) if name is not None else None
            if not isinstance(stand_in, _Written):
                break
            pages[self._pages_let_go] = stand_in
            self._pages_let_go += 1

    def _write_object(self, name: str, obj: Any) -> None:
        doc = self._doc
        data = PDFIndirectObject(name, obj).format(doc)
        doc.idToOffset[name] = self._offset
        self._write(data)
        doc.idToObject[name] = _Written(name)

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._offset += len(data)

    def _format(self) -> bytes:
        """ReportLab's PDFDocument.format, for the objects not written yet; the file is written
        here, so what it returns to save() is empty."""
        doc = self._doc
        doc.encrypt.prepare(doc)
        doc.Reference(doc.Catalog)
        doc.Reference(doc.info)
        encrypt_info = doc.encrypt.info()
        encrypt_ref = doc.Reference(encrypt_info) if encrypt_info else None
        number = 0
        while True:  # formatting may register new objects: walk until none is left
            number += 1
            if number not in doc.numberToId:
                break
            name = doc.numberToId[number]
            if not isinstance(doc.idToObject[name], _Written):
                self._write_object(name, doc.idToObject[name])
        count = len(doc.numberToId)
        ids = [doc.numberToId[n] for n in range(1, count + 1)]
        xref = PDFCrossReferenceTable()
        xref.addsection(0, ids)
        xref_offset = self._offset
        self._write(xref.format(doc))
        trailer = PDFTrailer(startxref=xref_offset, Size=count + 1,
                             Root=doc.Reference(doc.Catalog), Info=doc.Reference(doc.info),
                             Encrypt=encrypt_ref, ID=doc.ID())
        self._write(trailer.format(doc))
        return b""
