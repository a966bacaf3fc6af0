"""Safe previews: decode logic in-process, then the worker pool's kill, crash and limit paths.

Every input is made here with Pillow or by hand; no binary fixtures. The hanging and crashing
decoders are module-level functions handed to the pool (its `decode` test seam): the worker
really hangs or dies, and the pool's real kill-and-replace code runs.
"""

import ctypes
import io
import os
import random
import signal
import struct
import sys
import tempfile
import time
import zlib
from concurrent.futures import CancelledError
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.core import sandbox as isolated_pool
from app.core.pictures import preview_pool
from app.core.pictures.preview import (
    MAX_PIXELS,
    PreviewResult,
    PreviewStatus,
    make_preview_inline,
)
from app.core.pictures.preview_pool import PreviewPool
from app.i18n import set_translator
from tests.waiting import comes_true, process_ended, wait_until

FORMATS = ["PNG", "JPEG", "GIF", "TIFF", "WEBP", "BMP"]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX limits")


# -- inputs ------------------------------------------------------------------------------------


def screenshot(width: int = 1920, height: int = 1080, seed: int = 0) -> Image.Image:
    """A chat-app-like screen: bars, bubbles, text, a few coloured dots (not a flat colour)."""
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, height // 18), fill=(40, 90, 160))
    draw.rectangle((0, height // 18, width // 6, height), fill=(230, 230, 235))
    y = height // 12
    while y < height - 60:
        x = width // 5 if rnd.random() < 0.5 else width // 2
        w, h = rnd.randint(width // 10, width // 3), rnd.randint(30, 90)
        draw.rounded_rectangle((x, y, x + w, y + h), 10, fill=(220, 248, 198))
        draw.text((x + 10, y + 10), f"send £{rnd.randint(100, 999)} now or else", fill="black")
        y += h + 16
    for _ in range(20):
        x, y = rnd.randrange(width), rnd.randrange(height)
        draw.ellipse((x, y, x + 20, y + 20), fill=tuple(rnd.randrange(256) for _ in range(3)))
    return image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims any size: a bomb costs nothing to make."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + png_chunk(b"IEND", b"")
    )


def flip_bits(data: bytes, seed: int, count: int = 12) -> bytes:
    rnd = random.Random(seed)
    damaged = bytearray(data)
    for _ in range(count):
        position = rnd.randrange(16, len(damaged))  # keep the signature: reach the decoder
        damaged[position] ^= 1 << rnd.randrange(8)
    return bytes(damaged)


EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n"
    b"newpath 0 0 moveto 100 100 lineto stroke showpage\n%%EOF\n"
)


@pytest.fixture(scope="module")
def screenshots() -> dict[str, bytes]:
    image = screenshot()
    return {fmt: encode(image, fmt) for fmt in FORMATS}


def thumbnail_of(result: PreviewResult) -> Image.Image:
    assert result.thumbnail is not None
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.format == "JPEG" and thumb.mode == "RGB"
    assert thumb.size == (result.thumb_width, result.thumb_height)
    return thumb


def near(pixel: object, colour: tuple[int, int, int], slack: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= slack for a, b in zip(pixel, colour, strict=True))


# -- decoding, in this process -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_screenshot_in_every_allowed_format(fmt: str, screenshots: dict[str, bytes]) -> None:
    result = make_preview_inline(data=screenshots[fmt])
    assert result.status is PreviewStatus.OK and result.note is None
    assert (result.width, result.height, result.image_format) == (1920, 1080, fmt)
    assert thumbnail_of(result).size == (320, 180)
    assert 2_000 < len(result.thumbnail or b"") < 60_000


def test_from_a_path_and_a_smaller_size(tmp_path: Path, screenshots: dict[str, bytes]) -> None:
    path = tmp_path / "capture.png"
    path.write_bytes(screenshots["PNG"])
    result = make_preview_inline(path, max_side=100)
    assert result.status is PreviewStatus.OK
    assert (result.thumb_width, result.thumb_height) == (100, 56)
    assert make_preview_inline(str(path)).status is PreviewStatus.OK


def dated_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 12"
    exif[0x0132] = "2024:03:02 10:00:00"
    exif.get_ifd(0x8769)[0x9003] = "2024:03:01 21:14:05"
    return exif


def test_exif_date_camera_and_orientation_are_applied() -> None:
    image = Image.new("RGB", (400, 200), (220, 0, 0))
    image.paste((0, 0, 220), (200, 0, 400, 200))  # stored: red left half, blue right half
    # Orientation 6: shown rotated 90° clockwise, so the left half ends up on top.
    result = make_preview_inline(data=encode(image, "JPEG", exif=dated_exif(orientation=6)))
    assert result.status is PreviewStatus.OK
    assert result.exif_taken_at == "2024:03:01 21:14:05"  # DateTimeOriginal wins over DateTime
    assert result.exif_camera == "Apple iPhone 12"
    assert (result.width, result.height) == (400, 200)  # as stored
    thumb = thumbnail_of(result)
    assert thumb.size == (160, 320)
    assert near(thumb.getpixel((80, 40)), (220, 0, 0))
    assert near(thumb.getpixel((80, 280)), (0, 0, 220))


def test_hostile_exif_values_are_cleaned_or_ignored() -> None:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS 5D\x00\x1b[31m" + "x" * 500
    exif[0x0112] = 99  # no such orientation
    exif[0x0132] = "\x00\x00"
    result = make_preview_inline(data=encode(Image.new("RGB", (50, 30)), "JPEG", exif=exif))
    assert result.status is PreviewStatus.OK
    assert result.exif_camera is not None and result.exif_camera.startswith("Canon EOS 5D [31m")
    assert len(result.exif_camera) <= 64 and "\x1b" not in result.exif_camera
    assert result.exif_taken_at is None
    assert thumbnail_of(result).size == (50, 30)


@pytest.mark.parametrize(
    "image",
    [
        Image.new("RGBA", (64, 48), (0, 0, 0, 0)),
        Image.new("LA", (64, 48), (0, 0)),
        Image.new("P", (64, 48), 0),
    ],
    ids=["RGBA", "LA", "P"],
)
def test_transparency_is_shown_on_white(image: Image.Image) -> None:
    options = {"transparency": 0} if image.mode == "P" else {}
    for fmt in ("PNG", "GIF") if image.mode == "P" else ("PNG",):
        thumb = thumbnail_of(make_preview_inline(data=encode(image, fmt, **options)))
        assert near(thumb.getpixel((10, 10)), (255, 255, 255), slack=3)


def test_cmyk_sixteen_bit_and_one_bit_images_convert() -> None:
    cmyk = thumbnail_of(make_preview_inline(data=encode(Image.new("CMYK", (80, 60)), "JPEG")))
    assert near(cmyk.getpixel((5, 5)), (255, 255, 255), slack=10)  # no ink is white
    deep = Image.new("I;16", (256, 16))
    deep.putdata([x * 256 for x in range(256)] * 16)  # a 16-bit ramp
    ramp = thumbnail_of(make_preview_inline(data=encode(deep, "PNG"))).convert("L")
    assert ramp.getpixel((10, 8)) < 60 and 90 < ramp.getpixel((128, 8)) < 170  # not clipped
    assert make_preview_inline(data=encode(Image.new("1", (30, 30), 1), "PNG")).status == "ok"


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animation_gives_its_first_frame(fmt: str) -> None:
    frames = [Image.new("RGB", (60, 40), colour) for colour in ((220, 0, 0), (0, 0, 220))]
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    thumb = thumbnail_of(make_preview_inline(data=data))
    assert near(thumb.getpixel((30, 20)), (220, 0, 0))


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_files_fail_calmly(fmt: str, screenshots: dict[str, bytes]) -> None:
    data = screenshots[fmt]
    result = make_preview_inline(data=data[: len(data) // 2])
    assert result.status is PreviewStatus.FAILED
    assert result.note == (
        "No preview: this image could not be read. The file itself is kept and will be exported."
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_bit_flipped_files_never_raise(fmt: str) -> None:
    clean = encode(screenshot(320, 200, seed=3), fmt)
    for seed in range(15):
        result = make_preview_inline(data=flip_bits(clean, seed))
        assert result.status in (PreviewStatus.OK, PreviewStatus.FAILED, PreviewStatus.NONE)
        if result.status is PreviewStatus.OK:
            thumbnail_of(result)


@pytest.mark.parametrize(
    ("width", "height"),
    [(30_000, 30_000), (1, 100_000_000), (8_000, 7_000), (2**31 - 1, 2**31 - 1)],
)
def test_bombs_and_absurd_sizes_are_refused_before_decoding(width: int, height: int) -> None:
    started = time.perf_counter()
    result = make_preview_inline(data=png_declaring(width, height))
    assert result.status is PreviewStatus.TOO_LARGE
    assert result.thumbnail is None and result.note and "too large" in result.note
    assert time.perf_counter() - started < 1.0  # refused from the header, nothing decoded


def big_dated_jpeg() -> bytes:
    """A tiny JPEG whose frame header claims 9000 x 9000 (81 MP), with EXIF."""
    jpeg = bytearray(encode(Image.new("RGB", (16, 16)), "JPEG", exif=dated_exif()))
    start_of_frame = jpeg.index(b"\xff\xc0")
    jpeg[start_of_frame + 5 : start_of_frame + 9] = struct.pack(">HH", 9_000, 9_000)
    return bytes(jpeg)


def test_a_too_large_photo_still_gives_its_exif_date() -> None:
    pillow_limit = Image.MAX_IMAGE_PIXELS
    result = make_preview_inline(data=big_dated_jpeg())
    assert Image.MAX_IMAGE_PIXELS == pillow_limit  # a process-wide setting: never touched
    assert (result.status, result.width, result.height) == ("too-large", 9_000, 9_000)
    assert result.exif_taken_at == "2024:03:01 21:14:05" and result.exif_camera == "Apple iPhone 12"


def test_the_pixel_cap_is_ours_not_only_pillows() -> None:
    # 56 MP is under Pillow's own warning threshold (~89 MP) but over our cap.
    assert 8_000 * 7_000 > MAX_PIXELS > 0
    assert Image.MAX_IMAGE_PIXELS is None or 8_000 * 7_000 < Image.MAX_IMAGE_PIXELS
    result = make_preview_inline(data=png_declaring(8_000, 7_000))
    assert (result.status, result.width, result.height) == ("too-large", 8_000, 7_000)


def test_a_gif_with_a_huge_canvas_is_refused() -> None:
    gif = bytearray(encode(Image.new("P", (10, 10)), "GIF"))
    gif[6:10] = struct.pack("<HH", 65_535, 65_535)  # logical screen size
    assert make_preview_inline(data=bytes(gif)).status is PreviewStatus.TOO_LARGE


def test_a_huge_text_chunk_does_not_hurt(screenshots: dict[str, bytes]) -> None:
    png = screenshots["PNG"]
    text = png_chunk(b"tEXt", b"Comment\0" + b"A" * (8 << 20))
    started = time.perf_counter()
    result = make_preview_inline(data=png[:33] + text + png[33:])  # right after IHDR
    assert result.status in (PreviewStatus.OK, PreviewStatus.FAILED)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, this is a note\n" * 20, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", b"<svg></svg>"],
    ids=["empty", "text", "pdf", "svg"],
)
def test_not_an_image_we_decode(data: bytes) -> None:
    result = make_preview_inline(data=data)
    assert result.status is PreviewStatus.NONE
    assert result.note and "does not show previews of this type" in result.note


def test_eps_is_never_handed_to_its_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    Image.init()
    calls: list[str] = []

    def spy(*args: object) -> Image.Image:
        calls.append("EPS")
        raise SyntaxError("spy")

    monkeypatch.setitem(Image.OPEN, "EPS", (spy, Image.OPEN["EPS"][1]))
    with pytest.raises(Image.UnidentifiedImageError):
        Image.open(io.BytesIO(EPS))  # without an allow-list, Pillow would run the EPS plugin
    assert calls == ["EPS"]
    assert make_preview_inline(data=EPS).status is PreviewStatus.NONE
    assert calls == ["EPS"]  # ... with ours, it never does


def test_files_that_are_empty_missing_or_misnamed(tmp_path: Path) -> None:
    empty, text = tmp_path / "empty.png", tmp_path / "note.png"
    empty.write_bytes(b"")
    text.write_text("not an image at all\n")
    assert make_preview_inline(empty).status is PreviewStatus.NONE
    assert make_preview_inline(text).status is PreviewStatus.NONE
    assert make_preview_inline(tmp_path / "gone.png").status is PreviewStatus.FAILED
    assert make_preview_inline(tmp_path).status is PreviewStatus.FAILED  # a folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    assert make_preview_inline(fifo).status is PreviewStatus.FAILED  # would block if opened


def test_arguments_and_repr() -> None:
    with pytest.raises(TypeError):
        make_preview_inline()
    with pytest.raises(TypeError):
        make_preview_inline("a.png", b"x")
    with pytest.raises(ValueError):
        make_preview_inline(data=b"x", max_side=0)
    result = make_preview_inline(data=encode(Image.new("RGB", (8, 8)), "PNG"))
    assert "thumbnail" not in repr(result)  # pictures of people stay out of logs


def test_notes_are_translated() -> None:
    set_translator(lambda context, text: f"[{text}]")
    try:
        note = make_preview_inline(data=b"plain").note
    finally:
        set_translator(None)
    assert note is not None and note.startswith("[No preview") and note.endswith("exported.]")


def test_statuses_match_the_case_file_model() -> None:
    from app.models.evidence import PreviewStatus as Stored

    assert {s.value for s in PreviewStatus} <= {s.value for s in Stored}


@pytest.mark.parametrize(
    "message",
    [
        b"",
        b"\x00\x00\x00\x02{}",
        os.urandom(64),
        preview_pool._encode_answer(PreviewResult(PreviewStatus.FAILED))[:-3],
    ],
)
def test_malformed_worker_answers_are_rejected(message: bytes) -> None:
    assert preview_pool._decode_answer(message) is None


def test_worker_answers_are_checked_field_by_field() -> None:
    good = PreviewResult(PreviewStatus.OK, b"jpeg", 3, 2, 30, 20, "PNG", None, "Cam")
    assert preview_pool._decode_answer(preview_pool._encode_answer(good)) == good
    for bad in (
        PreviewResult(PreviewStatus.OK),  # ok without a thumbnail
        PreviewResult(PreviewStatus.FAILED, b"jpeg"),  # a thumbnail with a failure
        PreviewResult(PreviewStatus.OK, b"j", width=-1),
        PreviewResult(PreviewStatus.OK, b"j", width=True),
        PreviewResult(PreviewStatus.OK, b"j", exif_camera="x" * 101),
    ):
        assert preview_pool._decode_answer(preview_pool._encode_answer(bad)) is None


# -- the pool ----------------------------------------------------------------------------------


def misbehaving_decode(path: Path | None, data: bytes | None, max_side: int) -> PreviewResult:
    """Runs in a worker. Special payloads misbehave for real; anything else decodes normally."""
    if data is not None and data.startswith(b"pid "):  # which process this is: see worker_pids
        folder, workers = data[4:].decode().rsplit(" ", 1)
        (Path(folder) / str(os.getpid())).touch()
        # Hold the probe until every worker holds one, so probes sent together reach them
        # all; past a second (a worker still starting), answer anyway and be asked again.
        comes_true(lambda: len(os.listdir(folder)) >= int(workers), timeout=1.0)
        return PreviewResult(PreviewStatus.FAILED, image_format=str(os.getpid()))
    if data == b"hang":
        time.sleep(60)  # not a wait: the hang under test, which the pool's time limit ends
    if data == b"exit":
        os._exit(3)
    if data == b"abort":
        os.abort()
    if data == b"segfault":
        ctypes.string_at(0)
    if data == b"allocate":  # far past the pool's memory limit
        return PreviewResult(PreviewStatus.FAILED, image_format=str(len(bytearray(1 << 30))))
    if data == b"limits":
        import resource

        dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) if sys.platform == "linux" else -1
        address_space = resource.getrlimit(resource.RLIMIT_AS)[0]
        core = resource.getrlimit(resource.RLIMIT_CORE)[0]
        answer = f"{address_space} {core} {dumpable}"
        return PreviewResult(PreviewStatus.FAILED, image_format=answer)
    if data == b"modules":  # what a worker has loaded: Pillow, not the app's heavy parts
        heavy = ("PySide6", "sqlalchemy", "sqlcipher3", "puremagic", "reportlab")
        return PreviewResult(
            PreviewStatus.FAILED,
            image_format=",".join(name for name in heavy if name in sys.modules) or "none",
        )
    return make_preview_inline(path, data, max_side)


def worker_pids(pool: PreviewPool) -> set[int]:
    """The process ids of all the pool's workers (probes sent together spread over them)."""
    pids: set[int] = set()
    for _ in range(20):  # a worker still starting up takes no probe: ask again
        with tempfile.TemporaryDirectory() as folder:
            probe = f"pid {folder} {pool.workers}".encode()
            probes = [pool.submit(probe) for _ in range(pool.workers)]
            pids |= {int(probe.result(timeout=30).image_format or 0) for probe in probes}
        if len(pids) == pool.workers:
            break
    return pids


def test_pool_previews_paths_and_bytes_and_reports_every_key(
    tmp_path: Path, screenshots: dict[str, bytes]
) -> None:
    items: list[tuple[str, str | Path | bytes]] = []
    expected: dict[str, PreviewStatus] = {}
    for fmt, data in screenshots.items():
        (tmp_path / f"shot.{fmt}").write_bytes(data)
        items += [(f"path {fmt}", tmp_path / f"shot.{fmt}"), (f"bytes {fmt}", data)]
        expected |= {f"path {fmt}": PreviewStatus.OK, f"bytes {fmt}": PreviewStatus.OK}
    corpus = {
        "truncated": (screenshots["PNG"][:5000], PreviewStatus.FAILED),
        "bomb": (png_declaring(30_000, 30_000), PreviewStatus.TOO_LARGE),
        "big photo": (big_dated_jpeg(), PreviewStatus.TOO_LARGE),
        "eps": (EPS, PreviewStatus.NONE),
        "empty": (b"", PreviewStatus.NONE),
    }
    for key, (data, status) in corpus.items():
        items.append((key, data))
        expected[key] = status
    (tmp_path / "as-str.png").write_bytes(screenshots["PNG"])
    items.append(("str path", str(tmp_path / "as-str.png")))
    expected["str path"] = PreviewStatus.OK
    with PreviewPool(workers=2) as pool:
        assert pool.workers == 2
        results = dict(pool.map_unordered(items))
    assert {key: r.status for key, r in results.items()} == expected
    assert results["bomb"].note and "too large" in results["bomb"].note
    assert results["big photo"].exif_taken_at == "2024:03:01 21:14:05"  # as in this process
    assert thumbnail_of(results["path PNG"]).size == (320, 180)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX priorities")
def test_workers_run_behind_the_window(screenshots: dict[str, bytes]) -> None:
    """A worker loading its decoders took a core from the window's thread while it started
    (stalls of up to 100 ms on two cores): workers, a replacement too, run at a lower
    priority than the app, so the window comes first and they take every core left."""
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    if ours >= 10:
        pytest.skip("this test process already runs at a low priority")

    def behind(pids: set[int]) -> bool:
        return all(os.getpriority(os.PRIO_PROCESS, pid) >= ours + 5 for pid in pids)

    with PreviewPool(workers=2, timeout=1.5, decode=misbehaving_decode) as pool:
        pids = worker_pids(pool)
        assert len(pids) == 2 and behind(pids)
        assert pool.submit(b"hang").result(timeout=30).status is PreviewStatus.TIMED_OUT
        replaced = worker_pids(pool)
        assert replaced != pids and behind(replaced)
    assert os.getpriority(os.PRIO_PROCESS, 0) == ours  # the app's own priority is unchanged


def test_a_hanging_decoder_is_killed_and_the_other_worker_carries_on(
    screenshots: dict[str, bytes],
) -> None:
    with PreviewPool(workers=2, timeout=1.5, decode=misbehaving_decode) as pool:
        before = worker_pids(pool)
        assert pool.submit(b"modules").result(timeout=30).image_format == "none"
        started = time.monotonic()
        hang = pool.submit(b"hang")
        others = [pool.submit(screenshots["PNG"]) for _ in range(4)]
        assert all(f.result(timeout=30).status is PreviewStatus.OK for f in others)
        assert not hang.done()  # the others did not wait for it
        result = hang.result(timeout=30)
        assert result.status is PreviewStatus.TIMED_OUT
        assert result.note and "took too long" in result.note
        assert 1.4 < time.monotonic() - started < 10
        assert pool.submit(screenshots["JPEG"]).result(timeout=30).status is PreviewStatus.OK
        after = worker_pids(pool)
    assert len(before) == len(after) == 2
    assert len(before - after) == 1  # one new process took over from the hung one ...
    with pytest.raises(ProcessLookupError):
        os.kill((before - after).pop(), 0)  # ... which is gone, not left running


@pytest.mark.parametrize("crash", [b"exit", b"abort", b"segfault"])
def test_a_crashing_worker_fails_one_item_and_is_replaced(
    crash: bytes, screenshots: dict[str, bytes]
) -> None:
    if crash == b"segfault" and sys.platform == "win32":
        pytest.skip("an access violation dialog may appear on Windows")
    with PreviewPool(workers=1, decode=misbehaving_decode) as pool:
        before = worker_pids(pool)
        result = pool.submit(crash).result(timeout=30)
        assert result.status is PreviewStatus.FAILED and result.note
        assert pool.submit(screenshots["PNG"]).result(timeout=30).status is PreviewStatus.OK
        assert worker_pids(pool).isdisjoint(before)


@POSIX
def test_workers_limit_their_memory_and_never_dump_core(screenshots: dict[str, bytes]) -> None:
    limit = 256 << 20
    with PreviewPool(workers=1, memory_limit=limit, decode=misbehaving_decode) as pool:
        before = worker_pids(pool)
        limits = pool.submit(b"limits").result(timeout=30).image_format or ""
        address_space, core, dumpable = map(int, limits.split())
        assert (address_space, core) == (limit, 0)
        assert dumpable in (0, -1)  # 0 on Linux: no core dump through a pipe either
        # 1 GiB under a 256 MiB limit: MemoryError in the worker, which is then replaced.
        assert pool.submit(b"allocate").result(timeout=30).status is PreviewStatus.FAILED
        assert worker_pids(pool).isdisjoint(before)
        assert pool.submit(screenshots["WEBP"]).result(timeout=30).status is PreviewStatus.OK


@POSIX
def test_a_worker_that_died_while_idle_is_replaced_and_the_item_retried(
    screenshots: dict[str, bytes],
) -> None:
    with PreviewPool(workers=1, decode=misbehaving_decode) as pool:
        (pid,) = worker_pids(pool)
        os.kill(pid, signal.SIGKILL)  # as the system's out-of-memory killer might
        wait_until(lambda: process_ended(pid), timeout=10, what="the killed worker to end")
        assert pool.submit(screenshots["GIF"]).result(timeout=30).status is PreviewStatus.OK
        assert worker_pids(pool) != {pid}


def test_a_decode_function_workers_cannot_import_is_refused_at_once() -> None:
    with pytest.raises(Exception):  # the pickling error differs between Python versions
        PreviewPool(workers=1, decode=lambda path, data, max_side: PreviewResult("failed"))


def test_closing_cancels_or_finishes_and_refuses_new_work(screenshots: dict[str, bytes]) -> None:
    pool = PreviewPool(workers=1, timeout=5, decode=misbehaving_decode)
    running = pool.submit(screenshots["PNG"])
    queued = [pool.submit(screenshots["PNG"]) for _ in range(20)]
    wait_until(lambda: running.running() or running.done(), what="a worker to take the item")
    pool.close(cancel_pending=True)
    assert running.result(timeout=30).status is PreviewStatus.OK
    assert any(f.cancelled() for f in queued)
    with pytest.raises(CancelledError):
        next(f for f in queued if f.cancelled()).result()
    with pytest.raises(RuntimeError):
        pool.submit(b"x")


def test_stopping_a_map_early_cancels_the_rest(screenshots: dict[str, bytes]) -> None:
    with PreviewPool(workers=1) as pool:
        results = pool.map_unordered((n, screenshots["JPEG"]) for n in range(50))
        _, result = next(results)
        assert result.status is PreviewStatus.OK
        results.close()  # the caller stops: the rest are cancelled and close() is quick
        started = time.monotonic()
    assert time.monotonic() - started < 5


def test_a_pool_whose_workers_cannot_start_fails_items_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The parent then never hears the greeting it expects, as when a worker dies on start.
    monkeypatch.setattr(isolated_pool, "_READY", b"a greeting no worker sends")
    with PreviewPool(workers=1) as pool:
        result = pool.submit(b"anything").result(timeout=30)
    assert result.status is PreviewStatus.FAILED
