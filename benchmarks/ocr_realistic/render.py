"""Render the realistic pages in headless Chromium, make the variants, write the sidecars.

    python -m benchmarks.ocr_realistic.render OUT_DIR [--seeds 100 101]
    python -m benchmarks.ocr_realistic.render tests/fixtures/ocr_realistic --sample

For each seed, one picture of every layout in `LAYOUTS`, in three variants: the PNG as
rendered, a JPEG at quality 70-85, and the PNG scaled down by 0.75 (as a forwarded
screenshot is). Beside them `<name>.json` lists the planted values that are on the picture
(see `frame`: what overflowed was removed before the screenshot), the page's text, the
variants' file names and their SHA-256. The same seed always gives the same pages; the
pixels depend on the fonts installed, so the sidecar records the picture's hash.

Needs the Debian `chromium` package and fonts (fonts-noto-core, fonts-roboto,
fonts-liberation2, fonts-noto-color-emoji). Nothing here touches the network: the pages
are local files with no outside resources.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

from benchmarks.ocr_realistic import HELD_OUT_SEEDS, SAMPLE_SEED
from benchmarks.ocr_realistic.chats import chat_page
from benchmarks.ocr_realistic.frame import Page
from benchmarks.ocr_realistic.pages import bank_page, mail_page, receipt_page

LAYOUTS: tuple[tuple[str, str], ...] = (
    ("whatsapp", "desktop"), ("whatsapp", "phone"), ("instagram", "desktop"),
    ("instagram", "phone"), ("messenger", "desktop"), ("messenger", "phone"),
    ("snapchat", "phone"), ("telegram", "desktop"), ("telegram", "phone"),
    ("skype", "desktop"), ("western-union", "desktop"), ("western-union", "phone"),
    ("bank", "phone"), ("webmail", "desktop"),
)
VARIANTS = ("png", "jpeg", "down")
_PAGES: dict[str, Callable[[random.Random, str], Page]] = {
    "western-union": receipt_page, "bank": bank_page, "webmail": mail_page,
}
# The families the pages ask for (frame.FONTS, pages.py), with the Debian package of each.
# Without them Chromium quietly falls back to another font: the pictures differ from the ones
# the figures were measured on (on 2026-12-02, DejaVu alone took the held-out downscaled
# variant's recall from 91% to 89%), so rendering refuses instead.
FONT_PACKAGES: dict[str, str] = {
    "Roboto": "fonts-roboto",
    "Noto Sans": "fonts-noto-core",
    "Noto Serif": "fonts-noto-core",
    "Liberation Sans": "fonts-liberation2",
    "Liberation Serif": "fonts-liberation2",
    "Noto Color Emoji": "fonts-noto-color-emoji",
}


def chromium() -> str | None:
    """The Chromium program, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_fonts() -> list[str]:
    """The Debian packages of the font families the pages need that fontconfig does not
    have (empty also where there is no `fc-list` to ask: Chromium then finds fonts its own
    way, and nothing here can tell)."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    listed = subprocess.run([program, ":", "family"], capture_output=True, text=True,
                            check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return sorted({package for family, package in FONT_PACKAGES.items()
                   if family not in families})


def cannot_render() -> str | None:
    """Why the pages cannot be rendered as the figures were, with what to install; None when
    they can."""
    if chromium() is None:
        return ("chromium is not installed (apt-get install chromium "
                + " ".join(sorted(set(FONT_PACKAGES.values()))) + ")")
    missing = missing_fonts()
    if missing:
        return ("the fonts the pages use are not installed, so Chromium would draw others "
                f"(apt-get install {' '.join(missing)})")
    return None


def page(seed: int, index: int) -> Page:
    app, device = LAYOUTS[index % len(LAYOUTS)]
    rng = random.Random(f"ocr-realistic-{seed}-{index}")
    make = _PAGES.get(app)
    return make(rng, device) if make else chat_page(rng, app, device)


def _run(program: str, page: Page, html_file: Path, profile: Path, *action: str) -> bytes:
    command = [
        program, "--headless=new", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
        "--disable-extensions", "--disable-sync", "--no-default-browser-check",
        f"--user-data-dir={profile}", f"--window-size={page.width},{page.height}",
        f"--force-device-scale-factor={page.scale}", *action, html_file.as_uri(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    done = subprocess.run(command, capture_output=True, timeout=120, check=True)
    return done.stdout


class _Text(HTMLParser):
    """The page's text, and which planted values are still in it."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.kept: set[int] = set()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")
        for name, value in attrs:
            if name == "data-p" and value:
                self.kept.update(int(n) for n in value.split(","))

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def render(program: str, seed: int, index: int, out: Path) -> dict[str, object]:
    """Render one picture and its variants into `out`; its sidecar, also written there."""
    built = page(seed, index)
    stem = f"{seed}-{index:02d}-{built.app}-{built.device}"
    with tempfile.TemporaryDirectory(prefix="safekeep-render-") as work:
        folder = Path(work)
        html_file = folder / "page.html"
        html_file.write_text(built.document(random.Random(stem).choice(
            ["roboto", "noto", "liberation"] if built.app != "webmail" else ["roboto", "noto"])),
            encoding="utf-8")
        dom = _run(program, built, html_file, folder / "profile", "--dump-dom")
        shot = folder / "shot.png"
        _run(program, built, html_file, folder / "profile", f"--screenshot={shot}")
        picture = Image.open(shot).convert("RGB")
    parsed = _Text()
    parsed.feed(dom.decode("utf-8"))
    text = re.sub(r"\s+", " ", " ".join(parsed.parts)).strip()
    quality = random.Random(stem + "jpeg").randrange(70, 86)
    files: dict[str, tuple[str, str]] = {}
    for variant, name, data in _variants(picture, stem, quality):
        (out / name).write_bytes(data)
        files[variant] = (name, hashlib.sha256(data).hexdigest())
    sidecar: dict[str, object] = {
        "seed": seed, "index": index, "app": built.app, "device": built.device,
        "css_size": [built.width, built.height], "scale": built.scale,
        "pixels": list(picture.size), "jpeg_quality": quality,
        "files": {v: {"name": n, "sha256": h} for v, (n, h) in files.items()},
        "planted": [p.as_json() for n, p in enumerate(built.planted) if n in parsed.kept],
        "text": text,
    }
    (out / f"{stem}.json").write_text(json.dumps(sidecar, indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return sidecar


def _variants(picture: Image.Image, stem: str, quality: int) -> Iterable[tuple[str, str, bytes]]:
    def encode(image: Image.Image, form: str, **options: object) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, form, **options)
        return buffer.getvalue()

    yield "png", f"{stem}.png", encode(picture, "PNG", optimize=True)
    yield "jpeg", f"{stem}.jpg", encode(picture, "JPEG", quality=quality)
    small = picture.resize((round(picture.width * 0.75), round(picture.height * 0.75)),
                           Image.Resampling.LANCZOS)
    yield "down", f"{stem}-down.png", encode(small, "PNG", optimize=True)


def generate(seeds: Iterable[int], out: Path, indices: Iterable[int] | None = None) -> list[Path]:
    """Render every layout of every seed into `out` (two Chromiums at a time); the sidecars."""
    from concurrent.futures import ThreadPoolExecutor

    why_not = cannot_render()
    program = chromium()
    if why_not is not None or program is None:  # (the second only for the type checker)
        raise FileNotFoundError(f"cannot render: {why_not}")
    out.mkdir(parents=True, exist_ok=True)
    wanted = list(indices) if indices is not None else list(range(len(LAYOUTS)))
    jobs = [(seed, index) for seed in seeds for index in wanted]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda job: render(program, job[0], job[1], out), jobs))
    return [out / f"{d['seed']}-{d['index']:02d}-{d['app']}-{d['device']}.json" for d in done]


def sample(out: Path) -> list[Path]:
    """The small sample kept in the repository: every layout of SAMPLE_SEED once, each in
    one variant (in turn PNG, JPEG, downscaled; Telegram's wallpaper as JPEG, the PNG is
    large), so a test can score real pictures without Chromium."""
    with tempfile.TemporaryDirectory(prefix="safekeep-sample-") as work:
        made = generate([SAMPLE_SEED], Path(work))
        out.mkdir(parents=True, exist_ok=True)
        for path in made:
            sidecar = json.loads(path.read_text(encoding="utf-8"))
            app, index = sidecar["app"], sidecar["index"]
            variant = "jpeg" if app == "telegram" else VARIANTS[index % len(VARIANTS)]
            kept = sidecar["files"][variant]
            shutil.copyfile(Path(work) / kept["name"], out / kept["name"])
            sidecar["files"] = {variant: kept}
            (out / path.name).write_text(
                json.dumps(sidecar, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return sorted(out.glob("*.json"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(HELD_OUT_SEEDS))
    parser.add_argument("--indices", type=int, nargs="+")
    parser.add_argument("--sample", action="store_true", help="make the committed sample")
    args = parser.parse_args(argv)
    made = sample(args.out) if args.sample else generate(args.seeds, args.out, args.indices)
    for path in made:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
