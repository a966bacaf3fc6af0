"""`safekeep list`, `check` and `search` on cases of 1,000, 10,000 and 30,000 items: how each
whole command grows with the case (seconds, and microseconds per item, so linear and worse
show apart).

    python benchmarks/bench_commands.py [ITEMS ...]

Each command runs as a fresh process through the real entry point (`python -m app ...`, its
output written to a file as `> out.txt` would). Unlocking is the same Argon2id derivation
whatever the size (about 1-2 s), so it is shown on a row of its own and the scaling figures
start the clock when the key is derived (a probe around `kdf.derive_key` notes the moment;
the command itself runs unchanged) and stop it when the command returns. What is left is the
command's own work: opening the database, the queries, hashing, printing.

- `list CASE evidence`: every item's line.
- `check CASE`: every byte of every item hashed and compared, every page's HMAC and the
  b-trees checked, the audit chain verified. Its floor in words: `sha256sum` of the case file
  (every byte `check` must read, hashed once, in the clear, with no database).
- `search CASE westernunion`: one chat export with as many messages as items; one in a
  hundred holds the word.

Runs are interleaved (size by size, command by command, three rounds); medians, with min and
max.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.big_case import NEEDLE, PASSPHRASE, build_case
from benchmarks.common import Row, print_table

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
# Per item at the largest size against the next size down: 1.0 is linear. Above this the
# growth is worse than linear (noise on a shared machine stays well under it).
GROWTH_LIMIT = 1.3

PROBE = """
import json, os, sys, time
started = time.perf_counter()
from app.models import kdf
derive = kdf.derive_key
marks = {}
def vm(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
def derive_and_note(*args, **kwargs):
    marks["kdf_start"] = time.perf_counter()
    key = derive(*args, **kwargs)
    marks["key"] = time.perf_counter()
    marks["kdf_peak"] = vm("VmHWM")
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak from here on is the command's own, not Argon2id's
    return key
kdf.derive_key = derive_and_note
from app.__main__ import main
code = main(sys.argv[2:])
sys.stdout.flush()
marks["end"] = time.perf_counter()
marks["started"] = started
marks["peak"] = vm("VmHWM")
marks["code"] = code
with open(sys.argv[1], "w") as report:
    json.dump(marks, report)
"""

COMMANDS: dict[str, list[str]] = {
    "list": ["list", "{case}", "evidence"],
    "check": ["check", "{case}"],
    "search": ["search", "{case}", NEEDLE],
}


def run_command(name: str, case: Path, work: Path) -> dict[str, float]:
    """One whole command in a fresh process; its marks (seconds from its own clock)."""
    argv = [part.format(case=case) for part in COMMANDS[name]]
    marks_path, out_path = work / "marks.json", work / "out.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SAFEKEEP_PASSPHRASE": PASSPHRASE}
    with out_path.open("w") as out:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", PROBE, str(marks_path), *argv], stdout=out,
                       stderr=subprocess.PIPE, check=True, env=env, cwd=ROOT)
        whole = time.perf_counter() - started
    marks = json.loads(marks_path.read_text())
    if marks["code"] != 0:
        raise RuntimeError(f"safekeep {name} exited with {marks['code']}")
    return {"after_key": marks["end"] - marks["key"], "kdf": marks["key"] - marks["kdf_start"],
            "whole": whole, "peak": marks["peak"], "kdf_peak": marks["kdf_peak"],
            "lines": float(sum(1 for _ in out_path.open()))}


def sha256sum_seconds(path: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["sha256sum", str(path)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(sizes: tuple[int, ...], work: Path) -> dict[int, dict[str, list[dict[str, float]]]]:
    cases = {}
    for count in sizes:
        cases[count] = work / f"case-{count}.skcase"
        if not cases[count].exists():
            build_case(cases[count], count)
    results: dict[int, dict[str, list[dict[str, float]]]] = {
        count: {name: [] for name in [*COMMANDS, "sha256sum"]} for count in sizes}
    for _ in range(ROUNDS):
        for count in sizes:
            results[count]["sha256sum"].append({"after_key": sha256sum_seconds(cases[count])})
            for name in COMMANDS:
                results[count][name].append(run_command(name, cases[count], work))
    return results


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _spread(runs: list[dict[str, float]], key: str = "after_key") -> str:
    values = [r[key] for r in runs]
    return f"{min(values):.2f}-{max(values):.2f}"


def rows_from(results: dict[int, dict[str, list[dict[str, float]]]]) -> list[Row]:
    sizes = sorted(results)
    rows = []
    for name in COMMANDS:
        seconds = [_median(results[n][name], "after_key") for n in sizes]
        per_item = [s / n * 1e6 for s, n in zip(seconds, sizes, strict=True)]
        growth = per_item[-1] / per_item[-2] if len(sizes) > 1 else 1.0
        peaks = [max(r["peak"] for r in results[n][name]) for n in sizes]
        rows.append(Row(
            f"safekeep {name}: {' / '.join(f'{n:,}' for n in sizes)} items",
            " / ".join(f"{s:.2f}" for s in seconds) + " s",
            "linear or better", growth <= GROWTH_LIMIT,
            "after the key is derived; per item " + " / ".join(f"{p:.0f}" for p in per_item)
            + f" us; {sizes[-2]:,} -> {sizes[-1]:,}: {growth:.2f}x per item (1.0 = linear); "
            + "min-max " + ", ".join(_spread(results[n][name]) for n in sizes)
            + " s; peak after the key " + " / ".join(f"{p:.0f}" for p in peaks) + " MiB"))
    largest = sizes[-1]
    check, floor = results[largest]["check"], results[largest]["sha256sum"]
    ratio = _median(check, "after_key") / _median(floor, "after_key")
    rows.append(Row(
        f"safekeep check, {largest:,} items, vs sha256sum of the case file", f"{ratio:.1f}x",
        "-", None,
        f"{_median(check, 'after_key'):.2f} s vs {_median(floor, 'after_key'):.2f} s "
        f"(min-max {_spread(check)} vs {_spread(floor)}); the floor hashes every byte of the "
        "file once, check also decrypts and checks every page and hashes every item"))
    every = [r for n in sizes for name in COMMANDS for r in results[n][name]]
    whole = [r["whole"] - r["after_key"] for r in every]
    rows.append(Row(
        "safekeep list/check/search: start-up and unlock", f"{statistics.median(whole):.2f} s",
        "-", None,
        f"whole command minus the part after the key, every size (min-max {min(whole):.2f}-"
        f"{max(whole):.2f} s); Argon2id alone {_median(every, 'kdf'):.2f} s, peaking at "
        f"{max(r['kdf_peak'] for r in every):.0f} MiB (memory-hard on purpose)"))
    return rows


def rows(sizes: tuple[int, ...] = (1_000, 10_000, 30_000)) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-commands-"))
    try:
        return rows_from(measure(sizes, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    chosen = tuple(int(a) for a in sys.argv[1:]) or (1_000, 10_000, 30_000)
    print_table(rows(chosen))
