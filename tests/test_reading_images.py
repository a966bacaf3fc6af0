"""The reading-size picture (schema v5): made at import in the same sandboxed decode as the
thumbnail, kept in the case, and embedded in the report as it is, with no decode at export.
Items from before v5 (none kept) still get their page by a sandboxed decode at export.
Real SQLCipher files, real images, real worker processes; the PDF is read back with pypdf.
"""

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject
from sqlalchemy import select

from app.core.intake.ingest import import_bytes, import_paths
from app.core.pictures import PreviewPool
from app.core.pictures.png_pixels import PNG_SIGNATURE, pixels_of
from app.core.pictures.preview import READING_KEEP_SIDE, READING_SIDE, make_preview_inline
from app.core.records import read_reading_image, read_thumbnail
from app.export import report_pictures
from app.export.casedata import take_snapshot
from app.models import EvidenceReadingImage, EvidenceSource
from app.models.casefile import CaseFile
from tests.test_export_pictures import export_report, page_texts
from tests.test_export_support import add_evidence_direct, png_bytes
from tests.test_png_pixels import noisy_png


@pytest.fixture(scope="module")
def pool() -> Iterator[PreviewPool]:
    with PreviewPool(workers=1) as shared:
        yield shared


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _page_images(reader: PdfReader) -> list[tuple[str, bytes]]:
    """(filter, stream) of the image of every page, as the PDF holds it: a JPEG's own bytes
    (DCT), or a PNG's own compressed pixels (Flate)."""
    out = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {}) if "/Resources" in page else {}
        for ref in xobjects.values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image":
                kind = image["/Filter"]
                if isinstance(kind, ArrayObject):
                    [kind] = list(kind)  # the picture, nothing around it
                out.append((str(kind), image._data))  # as stored: not decoded by pypdf
    return out


def _page_jpegs(reader: PdfReader) -> list[bytes]:
    images = _page_images(reader)
    assert all(kind == "/DCTDecode" for kind, _ in images)
    return [data for _, data in images]


def _as_in_pdf(kept: bytes) -> tuple[str, bytes]:
    """What the report embeds for a kept reading picture."""
    pixels = pixels_of(kept)
    return ("/DCTDecode", kept) if pixels is None else ("/FlateDecode", pixels.deflated)


def _stored_ids(case: CaseFile) -> set[int]:
    with case.read() as session:
        return set(session.scalars(select(EvidenceReadingImage.evidence_id)))


def test_import_keeps_a_reading_picture_and_a_thumbnail_made_from_it(
        case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    big = _write(tmp_path / "in", "chat.png", png_bytes(1080, 2400, text="24 hours", seed=1))
    small = _write(tmp_path / "in", "small.png", png_bytes(600, 300, seed=2))
    outcomes = import_paths(case, [big, small], pool=pool)
    assert [o.status for o in outcomes] == ["added", "added"]
    big_id, small_id = (o.evidence_id for o in outcomes)
    assert big_id is not None and small_id is not None
    kept = read_reading_image(case, big_id)
    assert kept is not None and (kept.width, kept.height) == (630, READING_SIDE)  # 1080 x 2400
    with Image.open(io.BytesIO(kept.jpeg)) as picture:
        assert picture.format == "JPEG" and picture.size == (630, 1400)
        picture.load()  # decodes whole
    thumb = read_thumbnail(case, big_id)
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as small_picture:
        assert small_picture.format == "JPEG" and max(small_picture.size) == 320
    small_kept = read_reading_image(case, small_id)
    assert small_kept is not None and (small_kept.width, small_kept.height) == (600, 300)  # as is
    # A plain PNG shown at its own size keeps its own pixels (png_pixels), not a JPEG of them.
    with Image.open(io.BytesIO(small_kept.jpeg)) as own, Image.open(small) as original:
        assert own.format == "PNG" and own.tobytes() == original.tobytes()


def test_the_report_embeds_exactly_the_kept_picture_and_decodes_nothing(
        case: CaseFile, tmp_path: Path, pool: PreviewPool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [_write(tmp_path / "in", f"shot{i}.png", png_bytes(1200, 2000, seed=i))
             for i in range(2)]
    paths.append(_write(tmp_path / "in", "photo.png", noisy_png(1000, 700)))  # kept as a JPEG
    paths.append(_write(tmp_path / "in", "long.png", png_bytes(1000, 2600, seed=3)))  # resized
    ids = [o.evidence_id for o in import_paths(case, paths, pool=pool)]

    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the export decoded a picture kept in the case")

    monkeypatch.setattr(report_pictures, "PreviewPool", no_pool)
    reader, _ = export_report(case, tmp_path / "export")
    kept = []
    for evidence_id in ids:
        assert evidence_id is not None
        image = read_reading_image(case, evidence_id)
        assert image is not None
        kept.append(image.jpeg)
    assert [pixels_of(k) is not None for k in kept] == [True, True, False, False]
    assert _page_images(reader) == [_as_in_pdf(k) for k in kept]  # byte for byte, in order
    # What a PDF reader shows of the screenshots is every pixel of the originals.
    shown = [page.images[0].image for page in reader.pages if page.images]
    for path, picture in zip(paths[:2], shown[:2], strict=True):
        with Image.open(path) as original:
            assert picture is not None and picture.tobytes() == original.tobytes()


def test_an_item_from_before_v5_still_gets_its_page_by_a_decode_at_export(
        case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    new = import_paths(case, [_write(tmp_path / "in", "new.png", png_bytes(900, 1600, seed=3))],
                       pool=pool)[0].evidence_id
    old = add_evidence_direct(case, png_bytes(1600, 900, text="old", seed=4), "old.png")
    assert _stored_ids(case) == {new}  # the old one is as a v4 case left it
    reader, _ = export_report(case, tmp_path / "export")
    images = _page_images(reader)
    assert len(images) == 2
    stored = read_reading_image(case, new)  # type: ignore[arg-type]
    assert stored is not None and images[0] == _as_in_pdf(stored.jpeg)
    assert images[1][0] == "/DCTDecode"
    with Image.open(io.BytesIO(images[1][1])) as decoded:  # the old one, decoded in the sandbox
        assert decoded.width == 1400 and decoded.height in (787, 788)
    snap = take_snapshot(case, include_sensitive=False)
    texts = page_texts(reader)
    assert any(f"Exhibit {snap.exhibit(old)}" in t and "Text read by machine" in t
               for t in texts)


@pytest.mark.parametrize("damage", [b"\xff\xd8 not a jpeg", PNG_SIGNATURE + b"not a png"])
def test_a_kept_picture_that_does_not_read_falls_back_to_the_sandbox(
        case: CaseFile, tmp_path: Path, pool: PreviewPool, damage: bytes) -> None:
    evidence_id = import_paths(
        case, [_write(tmp_path / "in", "a.png", png_bytes(900, 1600, seed=5))], pool=pool
    )[0].evidence_id
    with case.write() as session:
        row = session.get(EvidenceReadingImage, evidence_id)
        assert row is not None
        row.jpeg = damage
    reader, _ = export_report(case, tmp_path / "export")
    [jpeg] = _page_jpegs(reader)
    with Image.open(io.BytesIO(jpeg)) as decoded:
        assert decoded.height == 1400 and decoded.width in (787, 788)


def test_a_truncated_picture_imports_calmly_without_a_reading_picture(
        case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    cut = _write(tmp_path / "in", "cut.png", png_bytes(900, 1600, seed=9)[:700])
    [outcome] = import_paths(case, [cut], pool=pool)
    assert outcome.status == "added" and outcome.evidence_id is not None
    assert read_reading_image(case, outcome.evidence_id) is None
    assert read_thumbnail(case, outcome.evidence_id) is None
    reader, result = export_report(case, tmp_path / "export")
    assert _page_jpegs(reader) == []
    text = " ".join(" ".join(page_texts(reader)).split())
    assert "No preview: this image could not be read." in text
    from app.export import verify_bundle

    assert verify_bundle(result).ok


def test_a_sensitive_item_keeps_its_pictures_like_its_thumbnail_and_the_report_shows_none(
        case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    photo = _write(tmp_path / "in", "photo.png", png_bytes(900, 1600, seed=6))
    [outcome] = import_paths(case, [photo], pool=pool, sensitive=True)
    assert outcome.evidence_id is not None
    assert read_thumbnail(case, outcome.evidence_id) is not None  # the existing rule
    assert read_reading_image(case, outcome.evidence_id) is not None  # the same rule
    for include in (False, True):
        reader, _ = export_report(case, tmp_path / f"export-{include}", include_sensitive=include)
        assert _page_jpegs(reader) == []
        assert "Sensitive (intimate image)" in " ".join(page_texts(reader))


def test_paste_and_screen_capture_keep_a_reading_picture(case: CaseFile,
                                                         pool: PreviewPool) -> None:
    for source, seed in ((EvidenceSource.CLIPBOARD, 7), (EvidenceSource.SCREEN_CAPTURE, 8)):
        outcome = import_bytes(case, png_bytes(1920, 1080, seed=seed), "pasted.png",
                               source=source, pool=pool)
        assert outcome.evidence_id is not None
        kept = read_reading_image(case, outcome.evidence_id)
        # A 1080p screenshot is its own reading picture: no resampling blurs its text.
        assert kept is not None and (kept.width, kept.height) == (1920, 1080)


def test_a_picture_a_little_longer_than_kept_is_brought_down_to_the_reading_side() -> None:
    wide = Image.new("RGB", (READING_KEEP_SIDE + 1, 900), (30, 60, 90))
    out = io.BytesIO()
    wide.save(out, "PNG")
    result = make_preview_inline(data=out.getvalue(), reading_side=READING_SIDE)
    assert result.reading_width == READING_SIDE
    kept = Image.new("RGB", (READING_KEEP_SIDE, 900), (30, 60, 90))
    out = io.BytesIO()
    kept.save(out, "PNG")
    result = make_preview_inline(data=out.getvalue(), reading_side=READING_SIDE)
    assert (result.reading_width, result.reading_height) == (READING_KEEP_SIDE, 900)


def _squares(width: int, height: int, size: int) -> Image.Image:
    """Black and white squares of `size` pixels: any resampling would make grey."""
    cells = Image.new("L", (width // size, height // size))
    cells.putdata([255 * ((x + y) % 2) for y in range(cells.height) for x in range(cells.width)])
    return cells.resize((width, height), Image.Resampling.NEAREST).convert("RGB")


def _encoded(picture: Image.Image, form: str) -> bytes:
    out = io.BytesIO()
    picture.save(out, form, **({"quality": 95} if form == "JPEG" else {}))
    return out.getvalue()


def test_a_picture_twice_the_reading_side_is_halved_by_whole_pixels_not_resampled() -> None:
    # A 2560 x 1600 screenshot (a laptop's at 2x): each 2 x 2 square averaged, so text drawn
    # at 2x comes out as crisp as at 1x; resampling to 1,400 would blur every edge.
    result = make_preview_inline(data=_encoded(_squares(2560, 1600, 2), "PNG"),
                                 reading_side=READING_SIDE)
    assert (result.reading_width, result.reading_height) == (1280, 800)
    assert result.reading is not None
    reading = Image.open(io.BytesIO(result.reading)).convert("L")
    assert reading.size == (1280, 800)
    # Each 2 x 2 square became one pixel, black or white (JPEG leaves small ripples only).
    grey = sum(reading.histogram()[41:215])
    assert grey < reading.width * reading.height // 50
    assert (result.thumb_width, result.thumb_height) == (320, 200)


@pytest.mark.parametrize(("longest", "expected"), [
    (2519, READING_SIDE),  # half would be shorter than 1,260: resampled to the reading side
    (2520, 1260),  # half is just long enough
    (3840, 1280),  # a 4K screenshot: a third
    (6000, 1500),  # a large photo's long side: a quarter
])
def test_which_pictures_are_brought_down_by_whole_pixels(longest: int, expected: int) -> None:
    picture = Image.new("RGB", (longest, 700), (90, 120, 150))
    result = make_preview_inline(data=_encoded(picture, "PNG"), reading_side=READING_SIDE)
    assert result.reading_width == expected


def test_a_jpeg_twice_the_reading_side_is_decoded_at_half_its_size() -> None:
    # DCT scaling: decoded at 1,280 x 800 directly, the shorter side not holding it back.
    data = _encoded(_squares(2560, 1600, 8), "JPEG")
    result = make_preview_inline(data=data, reading_side=READING_SIDE)
    assert (result.reading_width, result.reading_height) == (1280, 800)
    assert (result.width, result.height) == (2560, 1600)  # the original's own size is kept


def test_one_decode_gives_both_and_a_jpeg_photo_is_drafted_for_the_larger() -> None:
    photo = Image.new("RGB", (4000, 3000), (120, 80, 40))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90)
    result = make_preview_inline(data=out.getvalue(), reading_side=READING_SIDE)
    # Decoded at half size (2000 x 1500, DCT scaling), which is short enough to keep as it is.
    assert (result.reading_width, result.reading_height) == (2000, 1500)
    assert (result.thumb_width, result.thumb_height) == (320, 240)
    # The thumbnail is made from the reading picture in place, after its JPEG was made.
    assert result.reading is not None and result.thumbnail is not None
    assert Image.open(io.BytesIO(result.reading)).size == (2000, 1500)
    assert Image.open(io.BytesIO(result.thumbnail)).size == (320, 240)
    plain = make_preview_inline(data=out.getvalue())
    assert plain.reading is None and plain.thumb_width == 320


def test_the_worker_answer_carries_both_pictures_and_is_checked() -> None:
    from app.core.pictures import PreviewResult, PreviewStatus
    from app.core.pictures import preview_pool as wire

    good = PreviewResult(PreviewStatus.OK, b"thumb", 3, 2, 30, 20, "PNG",
                         reading=b"reading", reading_width=30, reading_height=20)
    assert wire._decode_answer(wire._encode_answer(good)) == good
    for bad in (
        PreviewResult(PreviewStatus.FAILED, reading=b"r", reading_width=1, reading_height=1),
        PreviewResult(PreviewStatus.OK, b"t", reading=b"r"),  # a picture without its size
        PreviewResult(PreviewStatus.OK, b"t", reading_width=3, reading_height=2),
    ):
        assert wire._decode_answer(wire._encode_answer(bad)) is None
    thumb_only = wire._encode_answer(PreviewResult(PreviewStatus.OK, b"thumb", 3, 2))
    assert wire._decode_answer(thumb_only[:-1]) is None  # shorter than its header says


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages is not installed")
def test_another_pdf_reader_shows_every_pixel_of_a_screenshot(
        case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    """Poppler (pdfimages, as pdftoppm and most Linux viewers read PDFs) takes the PNG's own
    pixels out of the report exactly as they were: the predictor is read, not only by pypdf."""
    shots = [_write(tmp_path / "in", "rgb.png", png_bytes(1000, 1400, text="send $500", seed=11)),
             _write(tmp_path / "in", "grey.png", _grey_png(700, 500))]
    import_paths(case, shots, pool=pool)
    reader, _ = export_report(case, tmp_path / "export")
    assert [kind for kind, _ in _page_images(reader)] == ["/FlateDecode", "/FlateDecode"]
    pdf = next((tmp_path / "export" / "out").rglob("report.pdf"))
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "shown")], check=True)
    shown = sorted(tmp_path.glob("shown-*.png"))
    assert len(shown) == 2
    for original, extracted in zip(shots, shown, strict=True):
        with Image.open(original) as before, Image.open(extracted) as after:
            assert after.size == before.size and after.tobytes() == before.tobytes()


def _grey_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(png_bytes(width, height, seed=12))).convert("L").save(out, "PNG")
    return out.getvalue()
