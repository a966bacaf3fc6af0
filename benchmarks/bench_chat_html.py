"""Chat exports in HTML imported into a case: Telegram Desktop's default export (a ZIP of its
folder, 1,000 messages a page) and Instagram's download in HTML (pages of 2,000 messages),
against the floor of Python's own HTML parser passing over the same pages with nothing done
(the least any reader of this markup with the standard library can spend), with the messages
per second and the peak memory of each import (the process's high-water mark, reset after
the key is derived).

    python benchmarks/bench_chat_html.py [MESSAGES]
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, print_table

MEASURE = r"""
import json, sys, time, zipfile
from html.parser import HTMLParser
from pathlib import Path
from app.core.intake import import_paths
from app.models.casefile import CaseFile

from benchmarks.common import high_water_mib, reset_high_water

if __name__ == "__main__":
    export, case_path = Path(sys.argv[1]), Path(sys.argv[2])
    started = time.perf_counter()
    with zipfile.ZipFile(export) as archive:
        for name in archive.namelist():
            if name.endswith(".html"):
                parser = HTMLParser()
                parser.feed(archive.read(name).decode("utf-8"))
                parser.close()
    floor_s = time.perf_counter() - started
    case = CaseFile.create(case_path, "bench", display_name="b", actor="b", kdf_profile=1)
    reset_high_water()
    base = high_water_mib()
    started = time.perf_counter()
    readings = []
    import_paths(case, [export], on_chat=readings.append)
    import_s = time.perf_counter() - started
    peak = high_water_mib()
    case.close()
    print(json.dumps({"floor_s": floor_s, "import_s": import_s, "base_mib": base,
                      "peak_mib": peak, "messages": readings[0].messages,
                      "status": readings[0].status}))
"""


def _telegram(folder: Path, count: int) -> Path:
    from datetime import datetime, timedelta

    from tests.chats.telegram_html_export import Msg, serialize, write_folder, zip_of
    start = datetime(2025, 1, 1, 8, 0)
    messages = [Msg("Anna Smith" if n % 3 else "Jo", start + timedelta(seconds=37 * n),
                    serialize(f"message number {n}, pay now or else"), sender_id=n % 3)
                for n in range(count)]
    return zip_of(write_folder(folder / "ChatExport_2025-03-16", "Anna Smith", messages, {}),
                  folder / "ChatExport_2025-03-16.zip")


def _instagram(folder: Path, count: int) -> Path:
    import zipfile
    from datetime import datetime, timedelta

    from tests.chats.meta_html_download import Box, page
    start, per_page = datetime(2025, 1, 1, 8, 0), 2_000
    inbox = "your_instagram_activity/messages/inbox/annasmith_17841/"
    path = folder / "instagram-jo-2025-03-16-Ab1Cd.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for first in range(0, count, per_page):  # message_1 holds the newest
            number = (count - 1 - first) // per_page + 1
            boxes = [Box("anna.smith.love88" if n % 3 else "Jo", start + timedelta(minutes=n),
                         f"message number {n}, pay now or else")
                     for n in range(first, min(first + per_page, count))]
            archive.writestr(f"{inbox}message_{number}.html", page("anna.smith.love88", boxes))
    return path


def _measure(export: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(export),
                           str(export.with_name("case.skcase"))],
                          capture_output=True, text=True, check=True, timeout=1800,
                          cwd=Path(__file__).resolve().parent.parent)
    got: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    if got["status"] != "read":
        raise RuntimeError(f"{export.name} was not read: {got['status']}")
    return got


def rows(count: int = 50_000) -> list[Row]:
    result = []
    for name, make in (("Telegram Desktop HTML export (ZIP)", _telegram),
                       ("Instagram download in HTML (ZIP)", _instagram)):
        with tempfile.TemporaryDirectory() as folder:
            export = make(Path(folder), count)
            size_mib = export.stat().st_size / 2**20
            got = _measure(export)
        ratio = got["import_s"] / got["floor_s"]
        result += [
            Row(f"Import a {count:,}-message {name} vs html.parser alone", f"{ratio:.1f}x",
                "-", None, f"{got['import_s']:.1f} s ({got['messages'] / got['import_s']:,.0f}"
                f" messages/s) vs {got['floor_s']:.2f} s for the parser passing over the same "
                f"pages, doing nothing; {size_mib:.1f} MiB ZIP; stored encrypted"),
            Row("  peak memory of that import", f"{got['peak_mib'] - got['base_mib']:.0f} MiB",
                "-", None, f"above {got['base_mib']:.0f} MiB with the case open"),
        ]
    return result


if __name__ == "__main__":
    print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000))
