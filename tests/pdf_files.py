"""PDF documents as a victim keeps them, written with ReportLab: a money transfer receipt with
its text, the same locked with a password, a scan (a picture of a page and no text), and
pages beyond what is read."""

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "DejaVuSans.ttf"

RECEIPT = [
    "Western Union Money Transfer - Customer receipt",
    "Date: 14 March 2024 21:40",
    "MTCN: 830-521-6473",
    "Receiver: Daniel Okafor, Lagos, Nigeria",
    "Amount sent: 250.00 GBP",
    "Questions? Write to jess.taylor58@example.com",
]
SECOND_PAGE = ["Payment to account IBAN GB82 WEST 1234 5698 7654 32"]


def text_pdf(pages: list[list[str]], *, encrypt: StandardEncryption | None = None,
             pagesize: tuple[float, float] = A4, unicode_font: bool = False) -> bytes:
    """Each page's lines as text, from the top left, as a bank or shop writes a receipt; in
    Helvetica (Latin-1 only), or in DejaVu Sans embedded, which writes any character."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=pagesize, encrypt=encrypt)
    font = "Helvetica"
    if unicode_font:
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
        font = "DejaVuSans"
    for lines in pages:
        pdf.setFont(font, 11)
        for n, line in enumerate(lines):
            pdf.drawString(72, pagesize[1] - 72 - n * 18, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def receipt_pdf() -> bytes:
    return text_pdf([RECEIPT, SECOND_PAGE])


def locked_pdf() -> bytes:
    """Opened only with its password, as some banks send statements."""
    return text_pdf([RECEIPT], encrypt=StandardEncryption("secret", ownerPassword="owner"))


def owner_locked_pdf() -> bytes:
    """Locked against changes only: it opens without a password (most "secured" PDFs)."""
    return text_pdf([RECEIPT], encrypt=StandardEncryption("", ownerPassword="owner"))


def scanned_pdf(lines: list[str], *, searchable: bool = False) -> bytes:
    """A page with no text: a picture of the lines, as a phone's scanner app saves it. With
    `searchable`, as a scanner's "searchable" PDF: the words laid over the picture as text
    nobody sees (render mode 3)."""
    page = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 30)
    for n, line in enumerate(lines):
        draw.text((120, 150 + n * 60), line, font=font, fill=0)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawImage(ImageReader(page), 0, 0, width=A4[0], height=A4[1])
    if searchable:
        text = pdf.beginText(120 * 72 / 150, A4[1] - 150 * 72 / 150 - 12)
        text.setTextRenderMode(3)
        text.setFont("Helvetica", 14)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _chat_picture(lines: list[str], size: tuple[int, int] = (900, 420)) -> Image.Image:
    shot = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(shot)
    font = ImageFont.truetype(str(FONT), 26)
    for n, line in enumerate(lines):
        draw.text((30, 30 + n * 52), line, font=font, fill=(20, 20, 20))
    return shot


def captioned_screenshot_pdf(caption: str, lines: list[str], *,
                             logo_lines: list[str] | None = None) -> bytes:
    """A caseworker's document saved as a PDF: a caption as text, and under it a chat
    screenshot pasted as a picture (its words only in the picture). With `logo_lines`, a
    small picture too (a letterhead's logo), which holds words but is no screenshot."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, A4[1] - 72, caption)
    pdf.drawImage(ImageReader(_chat_picture(lines)), 72, A4[1] - 320, width=450, height=210)
    if logo_lines is not None:
        logo = _chat_picture(logo_lines, (360, 120))
        pdf.drawImage(ImageReader(logo), 400, 60, width=120, height=40)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
