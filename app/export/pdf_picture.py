"""A picture on a report page, embedded as the case keeps it: never decoded, never re-encoded.

A JPEG goes in as it is (DCTDecode). A PNG screenshot's own compressed pixels (see
app.core.pictures.png_pixels) go in as they are too: PDF's FlateDecode with the PNG predictors
reads PNG's filtered rows directly (ISO 32000-1, 7.4.4.4), so the page shows every pixel of
the original. ReportLab's own drawImage would decode either to name it, and re-compress the
PNG's pixels.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFImageXObject, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas

from app.export.report_style import RULE


@dataclass(frozen=True)
class Picture:
    """One picture for the report, or the calm line saying why there is none. `data` is a
    JPEG when `colors` is 0, else a PNG's compressed pixels of that many colours (1 grey,
    3 RGB; 8 bits a sample)."""

    data: bytes | None
    width: int = 0
    height: int = 0
    note: str = ""
    colors: int = 0


class _FlateImage(PDFImageXObject):  # type: ignore[misc]  # ReportLab is untyped
    """An image XObject whose stream is PNG's compressed rows, with the predictor that
    undoes PNG's row filters (PNG's own rows each start with their filter's byte:
    Predictor 15)."""

    def __init__(self, name: str, picture: Picture) -> None:
        super().__init__(name)
        assert picture.data is not None
        self.width, self.height, self._colors = picture.width, picture.height, picture.colors
        self.streamContent = picture.data

    def format(self, document: object) -> bytes:
        stream = PDFStream(content=self.streamContent)
        entries = stream.dictionary
        entries["Type"] = PDFName("XObject")
        entries["Subtype"] = PDFName("Image")
        entries["Width"] = self.width
        entries["Height"] = self.height
        entries["BitsPerComponent"] = 8
        entries["ColorSpace"] = PDFName("DeviceGray" if self._colors == 1 else "DeviceRGB")
        # One filter, so a name and a dictionary (with an array of filters, readers such as
        # Poppler look for an array of parameters, and show the rows still filtered). Set
        # here, so that ReportLab applies no filter of its own.
        entries["Filter"] = PDFName("FlateDecode")
        entries["DecodeParms"] = PDFDictionary({
            "Predictor": 15, "Colors": self._colors, "BitsPerComponent": 8,
            "Columns": self.width})
        entries["Length"] = len(self.streamContent)
        return stream.format(document)  # type: ignore[no-any-return]


def _xobject(name: str, picture: Picture) -> PDFImageXObject:
    assert picture.data is not None
    if picture.colors:
        image = _FlateImage(name, picture)
    else:
        image = PDFImageXObject(name)
        image.loadImageFromJPEG(io.BytesIO(picture.data))  # reads only the JPEG's header
        image.streamContent, image._filters = picture.data, ("DCTDecode",)
    image.name = name
    return image


def draw_picture(canv: Canvas, picture: Picture, evidence_id: int, x: float, y: float, w: float,
                 h: float) -> None:
    """Draw `picture` (it has data) at (x, y), w by h points, framed by a hairline."""
    assert picture.data is not None
    name = f"SafekeepPicture{evidence_id}"
    doc = canv._doc
    reg = doc.getXObjectName(name)
    if doc.idToObject.get(reg) is None:
        image = _xobject(name, picture)
        canv._setXObjects(image)
        doc.Reference(image, reg)
        doc.addForm(name, image)
    canv.saveState()
    canv.translate(x, y)
    canv.scale(w, h)
    canv._code.append(f"/{reg} Do")
    canv.restoreState()
    canv._formsinuse.append(name)
    canv._currentPageHasImages = 1
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.4)
    canv.rect(x, y, w, h, stroke=1, fill=0)
