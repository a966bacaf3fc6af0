"""A 200,000-message WhatsApp export imported into a case, searched and exported as a bundle,
against the floor of reading the same file with a plain regex loop, and the peak memory of the
import and of the export (the process's high-water mark, reset before each, so the key
derivation is not counted). Then the same messages looked through for the offender's details
(`find_in_chats`), timed on its own: every message holds a digit, so none is skipped unread,
and one in 500 holds an address.

    python benchmarks/bench_chats.py [MESSAGES]
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, print_table

MEASURE = r"""
import json, re, sys, time
from pathlib import Path
from app.core.intake import import_paths
from app.core.reading import find_in_chats
from app.core.records import search_messages
from app.models.casefile import CaseFile

from benchmarks.common import high_water_mib, reset_high_water

if __name__ == "__main__":
    chat, case_path = Path(sys.argv[1]), Path(sys.argv[2])
    started = time.perf_counter()
    header = re.compile(r"^(\d\d)/(\d\d)/(\d{4}), (\d\d):(\d\d) - ([^:]+): (.*)$")
    floor = [m.groups() for line in chat.open(encoding="utf-8") if (m := header.match(line))]
    floor_s = time.perf_counter() - started
    del floor
    case = CaseFile.create(case_path, "bench", display_name="b", actor="b", kdf_profile=1)
    reset_high_water()  # the high-water mark starts again from here
    base = high_water_mib()
    started = time.perf_counter()
    readings = []
    import_paths(case, [chat], on_chat=readings.append)
    import_s = time.perf_counter() - started
    peak = high_water_mib()
    started = time.perf_counter()
    found = search_messages(case, f"number {int(sys.argv[3]) - 1},")
    search_s = time.perf_counter() - started
    reset_high_water()
    details_base = high_water_mib()
    started = time.perf_counter()
    details = find_in_chats(case)
    details_s = time.perf_counter() - started
    details_peak = high_water_mib()
    from app.export import export_bundle
    reset_high_water()
    export_base = high_water_mib()
    started, cpu = time.perf_counter(), time.process_time()
    bundle = export_bundle(case, case_path.with_name("bundle.zip"))
    export_s, export_cpu = time.perf_counter() - started, time.process_time() - cpu
    export_peak = high_water_mib()
    case.close()
    print(json.dumps({"floor_s": floor_s, "import_s": import_s, "search_s": search_s,
                      "details_s": details_s, "details": details.found,
                      "details_mib": details_peak - details_base,
                      "messages": readings[0].messages, "found": len(found),
                      "base_mib": base, "peak_mib": peak, "export_s": export_s,
                      "export_cpu_s": export_cpu, "export_base_mib": export_base,
                      "export_peak_mib": export_peak, "bundle_mib": bundle.bytes_written / 2**20}))
"""


def write_export(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            day, minute = 1 + i // 1440 % 28, i % 1440
            out.write(f"{day:02d}/03/2024, {minute // 60:02d}:{minute % 60:02d} - "
                      f"{'Sam' if i % 3 else 'Alex'}: message number {i}, pay now or else"
                      f"{f' mail me at sam{i // 500 % 50}@example.com' if i % 500 == 0 else ''}\n")


def rows(count: int = 200_000) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        chat = Path(folder) / "WhatsApp Chat with Sam.txt"
        write_export(chat, count)
        size_mib = chat.stat().st_size / 2**20
        proc = subprocess.run([sys.executable, "-c", MEASURE, str(chat),
                               str(Path(folder) / "case.skcase"), str(count)],
                              capture_output=True, text=True, check=True, timeout=1800,
                              cwd=Path(__file__).resolve().parent.parent)
        got = json.loads(proc.stdout.strip().splitlines()[-1])
    ratio = got["import_s"] / got["floor_s"]
    rate = got["messages"] / got["import_s"]
    return [
        Row(f"Import a {count:,}-message WhatsApp export vs a regex loop", f"{ratio:.0f}x", "-",
            None, f"{got['import_s']:.1f} s ({rate:,.0f} messages/s) vs {got['floor_s']:.2f} s "
            f"reading {size_mib:.0f} MiB; stored encrypted, from the bytes kept"),
        Row("  peak memory of that import", f"{got['peak_mib'] - got['base_mib']:.0f} MiB", "-",
            None, f"above {got['base_mib']:.0f} MiB with the case open"),
        Row("  search those messages", f"{got['search_s']:.2f} s", "-", None,
            f"{got['found']} found of {got['messages']:,}"),
        Row("  look through them for the offender's details", f"{got['details_s']:.1f} s", "-",
            None, f"{got['details_s'] / got['import_s']:.0%} of the import's time; "
            f"{got['details']} found; peak memory {got['details_mib']:.0f} MiB more"),
        Row("  export that case: csv/messages.csv and the transcript", f"{got['export_s']:.1f} s",
            "-", None, f"{got['export_cpu_s']:.1f} s of CPU; {got['bundle_mib']:.1f} MiB bundle; "
            f"the report shows the first and last 1,000 messages"),
        Row("  peak memory of that export",
            f"{got['export_peak_mib'] - got['export_base_mib']:.0f} MiB", "-", None,
            f"above {got['export_base_mib']:.0f} MiB; messages streamed, not listed"),
    ]


if __name__ == "__main__":
    print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000))
