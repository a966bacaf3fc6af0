"""Shared pieces for the benchmarks: realistic screenshots, a row of the results table,
and a timer. Benchmarks print ratios measured in one run on one machine; they are never tests."""

import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw


@dataclass(frozen=True)
class Row:
    name: str
    measured: str  # e.g. "0.62x" or "0.21 s"
    goal: str
    passed: bool | None  # None: shown for reference, no goal of its own
    detail: str = ""

    def cells(self) -> list[str]:
        result = "-" if self.passed is None else "pass" if self.passed else "falls short"
        return [self.name, self.measured, self.goal, result, self.detail]


def high_water_mib() -> float:
    """This process's peak memory so far (Linux's VmHWM), in MiB."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_high_water() -> None:
    """Start this process's peak memory again from here (Linux's clear_refs)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def print_table(rows: list[Row]) -> None:
    header = ["measure", "measured", "goal", "result", "detail"]
    table = [header, *[r.cells() for r in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for i, line in enumerate(table):
        print("| " + " | ".join(cell.ljust(widths[j]) for j, cell in enumerate(line)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def make_screenshots(folder: Path, count: int, size: tuple[int, int] = (1920, 1080),
                     seed: int = 1) -> list[Path]:
    """Chat-like screenshots: a light background, bubbles and lines of text, a little noise
    from anti-aliased text. Flat colour would flatter the decoder; these do not."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        image = Image.new("RGB", size, (246, 246, 248))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, size[0], 64), fill=(40, 60, 90))
        y = 90
        while y < size[1] - 40:
            left = rng.random() < 0.5
            width = rng.randrange(300, 900)
            x0 = 40 if left else size[0] - 40 - width
            draw.rounded_rectangle((x0, y, x0 + width, y + 56), 14,
                                   fill=(255, 255, 255) if left else (210, 235, 255))
            draw.text((x0 + 16, y + 10), f"message {i}-{y} " + "lorem ipsum dolor " * 4,
                      fill=(20, 20, 20))
            draw.text((x0 + 16, y + 32), f"{rng.randrange(10, 23)}:{rng.randrange(10, 59)}",
                      fill=(120, 120, 120))
            y += 72
        path = folder / f"Screenshot_{i:04d}.png"
        image.save(path, optimize=False)
        paths.append(path)
    return paths


def settled() -> None:
    """What earlier runs wrote, on the disk before the next run is timed. A run that writes
    a case, a bundle or a ZIP leaves hundreds of megabytes for the system to write back, and
    it did so during the run after, which was then charged for it: the same export of 1,000
    screenshots took 5.5 s or 8.5 s as it came after a copy of its case or not. A run's own
    writing, and its own fsync, stay in its time."""
    if hasattr(os, "sync"):  # not on Windows, which the benchmarks do not run on
        os.sync()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(runs: int, programs: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Each program's seconds over `runs` rounds, run in turn within each round (floor, app,
    floor, app...), so drift on a shared machine hits them alike. Each callable returns the
    seconds it measured (what it leaves out of the clock is its own business to say)."""
    results: dict[str, list[float]] = {name: [] for name in programs}
    for _ in range(runs):
        for name, run in programs.items():
            results[name].append(run())
    return results


def spread(seconds: list[float]) -> str:
    """"1.23 s (1.20-1.31)": the median and, in brackets, the least and the most."""
    import statistics

    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Samples the proportional set size (shared pages counted once) of a process and its
# children every 5 ms until its standard input closes, then prints the most seen (KiB).
PSS_SAMPLER = """
import os, select, sys
pid = sys.argv[1]

def pss(p):
    try:
        for line in open(f"/proc/{p}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:  # it ended between the listing and the read
        pass
    return 0

most = 0
print("ready", flush=True)
while not select.select([sys.stdin], [], [], 0.005)[0]:
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                pids += listing.read().split()
    except OSError:
        continue
    most = max(most, sum(pss(p) for p in pids))
print(most)
"""


class TogetherPeak:
    """The most memory this process and its children held together while the block ran:
    their proportional set sizes (shared pages counted once), sampled every 5 ms from a
    process of its own (a thread here would wait for the measured work's lock). MiB in
    `.mib` after the block; 0 where /proc has no smaps_rollup."""

    def __init__(self) -> None:
        self.mib = 0.0
        self._sampler: subprocess.Popen[str] | None = None

    def __enter__(self) -> "TogetherPeak":
        self._sampler = subprocess.Popen(
            [sys.executable, "-c", PSS_SAMPLER, str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._sampler.stdout is not None
        self._sampler.stdout.readline()  # it has begun
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._sampler is not None
        self.mib = float(self._sampler.communicate("")[0].strip() or 0) / 1024
