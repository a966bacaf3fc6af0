"""Screenshot previews: a single-process Pillow loop against PreviewPool, as a ratio.

    python benchmarks/bench_preview.py [--count 200] [--workers N] [--repeat 3]

Makes COUNT 1920x1080 PNG screenshots (chat-app-like: bars, bubbles, text, an attached photo)
in a temporary folder, then times, over the same files:
- the baseline: Image.open + thumbnail((320, 320)) in a loop, in this process;
- make_preview_inline in a loop: the same work a pool worker does (allow-list, limits, EXIF,
  JPEG encoding of the thumbnail), still in one process;
- PreviewPool given paths (cold: including starting the workers; warm: already started);
- PreviewPool given bytes, as the importer does (it hashes and stores those very bytes).
A ratio above 1 means faster than the baseline. Runs are interleaved and the best of
--repeat rounds is shown, with the load average: other work on the machine takes cores from
the pool. CPU seconds (this process plus exited workers) show the work done, whatever the load.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw

from app.core.pictures.preview import PreviewStatus, make_preview_inline
from app.core.pictures.preview_pool import PreviewPool


def screenshot(seed: int) -> Image.Image:
    rnd = random.Random(seed)
    width, height = 1920, 1080
    image = Image.new("RGB", (width, height), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 64), fill=(40, 90, 160))
    draw.text((24, 22), f"Messenger - chat {seed}", fill="white")
    draw.rectangle((0, 64, 360, height), fill=(232, 232, 238))
    for row in range(22):
        y = 84 + row * 44
        colour = tuple(rnd.randrange(60, 220) for _ in range(3))
        draw.ellipse((16, y, 48, y + 32), fill=colour)
        draw.text((60, y + 4), f"contact_{rnd.randrange(10**6):06d}", fill=(20, 20, 20))
        draw.text((60, y + 20), "last message preview ...", fill=(110, 110, 110))
    y = 90
    words = "send money now or I will post your pics to friends family 500 GBP bitcoin today"
    while y < height - 320:
        mine = rnd.random() < 0.5
        w, h = rnd.randrange(300, 900), rnd.randrange(44, 110)
        x = width - w - 40 if mine else 400
        draw.rounded_rectangle((x, y, x + w, y + h), 14, fill=(220, 248, 198) if mine else "white")
        for line in range(h // 22):
            text = " ".join(rnd.choice(words.split()) for _ in range(w // 60))
            draw.text((x + 14, y + 10 + line * 20), text, fill=(10, 10, 10))
        draw.text(
            (x + w - 60, y + h - 18),
            f"{rnd.randrange(24):02d}:{rnd.randrange(60):02d}",
            fill=(120, 120, 120),
        )
        y += h + 18
    # An attached photo: smooth colour plus sensor-like noise, as real screenshots carry.
    photo = Image.linear_gradient("L").resize((480, 270)).convert("RGB")
    noise = Image.effect_noise((480, 270), 24).convert("RGB")
    photo = Image.blend(photo, noise, 0.35)
    image.paste(photo, (420, height - 300))
    return image


def save_screenshot(path: Path, seed: int) -> None:
    screenshot(seed).save(path, "PNG")


def make_corpus(folder: Path, count: int) -> list[Path]:
    paths = [folder / f"Screenshot {n:04d}.png" for n in range(count)]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(mp_context=spawn) as makers:  # making them is the slow part
        list(makers.map(save_screenshot, paths, range(count), chunksize=8))
    return paths


def pillow_loop(paths: list[Path]) -> None:
    for path in paths:
        with Image.open(path) as image:
            image.thumbnail((320, 320))


def inline_loop(paths: list[Path]) -> None:
    for path in paths:
        assert make_preview_inline(path).status is PreviewStatus.OK


def pool_run(paths: list[Path], workers: int | None, as_bytes: bool) -> None:
    with PreviewPool(workers) as pool:
        run_pool(pool, paths, as_bytes)


def run_pool(pool: PreviewPool, paths: list[Path], as_bytes: bool) -> None:
    items = ((p, p.read_bytes() if as_bytes else p) for p in paths)
    for _, result in pool.map_unordered(items):
        assert result.status is PreviewStatus.OK


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (pool workers that exited)."""
    try:
        import resource
    except ImportError:  # Windows: this process only
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measured(run: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    run()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best of each is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="safekeep-bench-") as tmp:
        started = time.perf_counter()
        paths = make_corpus(Path(tmp), args.count)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        print(
            f"{len(paths)} PNG screenshots 1920x1080, {size:.0f} KiB each on average "
            f"(made in {time.perf_counter() - started:.1f} s); "
            f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
        )
        pillow_loop(paths[:5])  # warm the disk cache and Pillow's imports
        with PreviewPool(args.workers) as pool:
            workers = pool.workers
            run_pool(pool, paths[:4], as_bytes=False)  # started and warm
            runs: list[tuple[str, Callable[[], None]]] = [
                ("Pillow loop: open + thumbnail (baseline)", lambda: pillow_loop(paths)),
                ("make_preview_inline loop (a worker's work)", lambda: inline_loop(paths)),
                (
                    f"PreviewPool x{workers}, paths, cold (incl. start)",
                    lambda: pool_run(paths, args.workers, as_bytes=False),
                ),
                (
                    f"PreviewPool x{workers}, paths, warm",
                    lambda: run_pool(pool, paths, as_bytes=False),
                ),
                (
                    f"PreviewPool x{workers}, bytes, cold (incl. start)",
                    lambda: pool_run(paths, args.workers, as_bytes=True),
                ),
            ]
            # Interleaved rounds, best of each: other load on the machine hits all runs alike.
            print(f"load average before: {load()}")
            best = [(float("inf"), 0.0)] * len(runs)
            for _ in range(args.repeat):
                for index, (_, run) in enumerate(runs):
                    best[index] = min(best[index], measured(run))
            print(f"load average after:  {load()}")
    baseline = best[0][0]
    print(f"\n{'run':<52} {'wall s':>7} {'ms/image':>9} {'vs baseline':>12} {'CPU s':>7}")
    for (name, _), (wall, cpu) in zip(runs, best, strict=True):
        # A warm pool's workers have not exited yet, so their CPU time is not counted.
        cpu_text = "-" if "warm" in name else f"{cpu:.2f}"
        per_image = wall / len(paths) * 1000
        print(f"{name:<52} {wall:>7.2f} {per_image:>9.1f} {baseline / wall:>11.2f}x {cpu_text:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
