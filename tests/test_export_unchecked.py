"""Details Safekeep found in the evidence that the person has not checked, in the bundle.

Tried by hand: a WhatsApp export added and the bundle made at once gave page 1 "No details of
the offender are recorded", though the messages held the offender's e-mail address and phone
number and Safekeep had found both. An officer reads page 1 first.
"""

import csv
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.reading import add_suggestions, dismiss_suggestions, suggestions_for
from app.export import export_bundle, verify_bundle
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, CliResult
from tests.test_chat_details import WHATSAPP

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is not installed")

Cli = Callable[..., CliResult]


def _case_with_a_chat(tmp_path: Path, cli: Cli) -> tuple[Path, int]:
    path = tmp_path / "case.skcase"
    assert cli("new", str(path), "--kdf-profile", "1").code == 0
    chat = tmp_path / "WhatsApp Chat with +44 7911 123456.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    result = cli("add-evidence", str(path), str(chat), "--json")
    assert result.code == 0, result
    import json

    return path, int(json.loads(result.out)["items"][0]["evidence_id"])


def _report_text(pdf: Path, *pages: str) -> str:
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", *pages, str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


def _page_one_and_csv(bundle: Path, tmp_path: Path) -> tuple[str, list[dict[str, str]] | None]:
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        [report] = [n for n in names if n.endswith("/report.pdf")]
        (tmp_path / "report.pdf").write_bytes(archive.read(report))
        found = [n for n in names if n.endswith("csv/unchecked.csv")]
        rows = (list(csv.DictReader(io.StringIO(archive.read(found[0]).decode("utf-8-sig"))))
                if found else None)
    return _report_text(tmp_path / "report.pdf", "-f", "1", "-l", "1"), rows


def test_page_one_lists_what_was_found_and_not_checked(tmp_path: Path, cli: Cli) -> None:
    path, export = _case_with_a_chat(tmp_path, cli)
    with CaseFile.open(path, PASSPHRASE, actor="tester") as case:
        found = {(s.kind.value, s.value): s for s in suggestions_for(case, export)}
        add_suggestions(case, [found["email", "scam.collector99@gmail.com"].id])
        dismiss_suggestions(case, [found["email", "sam@example.org"].id])
        bundle = export_bundle(case, tmp_path / "bundle.zip").path
    page1, rows = _page_one_and_csv(bundle, tmp_path)

    start = page1.index("Found in the evidence, not checked")
    offender, unchecked = page1[:start], page1[start:]
    assert "scam.collector99@gmail.com" in offender  # added: one of the person's details
    assert "the person has not checked" in unchecked
    for value in ("+44 7911 123456", "8305216473", "020 7946 0018", "dark.lord_22"):
        assert value in unchecked, value
    assert "Exhibit " in unchecked and "first in a message from +44 7911 123456" in unchecked
    assert "sam@example.org" not in page1  # dismissed by the person
    assert "£500" not in unchecked  # an amount is not someone
    assert "scam.collector99" not in unchecked  # saved already: listed once

    assert rows is not None
    assert {(r["type"], r["value_as_read"]) for r in rows} == {
        ("phone", "'+44 7911 123456"),  # a leading + would start a spreadsheet formula
        ("mtcn", "8305216473"), ("phone", "020 7946 0018"), ("username", "dark.lord_22")}
    mtcn = next(r for r in rows if r["type"] == "mtcn")
    assert mtcn["first_message_time_as_written"] == "2024-03-13T21:16"
    assert mtcn["exhibits"].endswith("/1") and mtcn["hard_to_read"] == "no"
    # After the offender identifiers, the report lists every one of them too.
    whole = _report_text(tmp_path / "report.pdf")
    rest = whole[whole.index("\f"):]
    section = rest[rest.index("Found in the evidence, not checked"):]
    section = section[:section.index("Payments")]
    for value in ("+44 7911 123456", "8305216473", "020 7946 0018", "dark.lord_22"):
        assert value in section, value
    assert "sam@example.org" not in section  # dismissed (the transcript still shows it)
    # The officer's checks still pass over the new file.
    assert verify_bundle(bundle).ok
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(out)
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    readme = (folder / "README.txt").read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(readme) if line.startswith("csv/unchecked.csv"))
    assert readme[at].startswith("csv/unchecked.csv    details Safekeep found")
    assert readme[at + 1].startswith(" " * 21) and readme[at + 1][21] != " "  # in its column


def test_with_everything_checked_the_bundle_has_no_such_list(tmp_path: Path, cli: Cli) -> None:
    path, export = _case_with_a_chat(tmp_path, cli)
    with CaseFile.open(path, PASSPHRASE, actor="tester") as case:
        ids = [s.id for s in suggestions_for(case, export)]
        dismiss_suggestions(case, ids)
        bundle = export_bundle(case, tmp_path / "bundle.zip").path
    page1, rows = _page_one_and_csv(bundle, tmp_path)
    assert rows is None and "not checked" not in page1
    assert "not checked" not in _report_text(tmp_path / "report.pdf")
    assert "No details of the offender are recorded." in page1


def test_page_one_gives_every_kind_a_turn_and_the_surest_first() -> None:
    """Tried by hand: page 1 showed four usernames and four e-mail addresses read in
    pictures (some "hard to read"), and not the phone number and bank account the offender
    typed in a chat, further down the list."""
    from app.core.identifiers import IdentifierType as T
    from app.core.reading import UncheckedDetail
    from app.export.report_unchecked import page_one_pick

    def detail(kind: T, value: str, *, clear: bool = True, typed: bool = False
               ) -> UncheckedDetail:
        return UncheckedDetail(kind, value, value, None, (1,), 95.0 if clear else 40.0,
                               "Emma" if typed else None, "2026-12-03T21:07" if typed else None)

    found = [*(detail(T.USERNAME, f"user{n}") for n in range(5)),
             detail(T.EMAIL, "blurry@example.com", clear=False),
             *(detail(T.EMAIL, f"shot{n}@example.com") for n in range(4)),
             detail(T.EMAIL, "emma.pay88@gmail.com", typed=True),
             detail(T.PHONE, "+234 803 555 0199", typed=True),
             detail(T.BANK_ACCOUNT, "20-00-00 55779911", typed=True)]
    shown = [d.value for d in page_one_pick(found, 8)]
    assert len(shown) == 8
    assert "+234 803 555 0199" in shown and "20-00-00 55779911" in shown
    # Within a kind: typed first, then clear readings, a hard one last.
    emails = [v for v in shown if "@" in v]
    assert emails[0] == "emma.pay88@gmail.com" and "blurry@example.com" not in emails
    # In report order: the kinds officers act on first.
    assert shown.index("user0") < shown.index("emma.pay88@gmail.com") < shown.index(
        "+234 803 555 0199") < shown.index("20-00-00 55779911")
    assert page_one_pick(found, 100) == page_one_pick(found, len(found))  # all, once each
    assert len(page_one_pick(found, 100)) == len(found)
    assert page_one_pick([], 8) == []


def test_the_cli_looks_through_a_chat_export_left_pending_before_the_bundle(
        tmp_path: Path, cli: Cli) -> None:
    """The window reads an export's messages for details in the background; closed before it
    finished, the export stays pending, and `safekeep export` made a bundle without them."""
    from app.core.intake import import_paths
    from app.core.reading import pending_exports

    path = tmp_path / "case.skcase"
    assert cli("new", str(path), "--kdf-profile", "1").code == 0
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    with CaseFile.open(path, PASSPHRASE, actor="tester") as case:
        import_paths(case, [chat])  # as the window adds it, before its reader looks
        assert pending_exports(case) != []
    result = cli("export", str(path), str(tmp_path / "bundle.zip"))
    assert result.code == 0, result
    page1, rows = _page_one_and_csv(tmp_path / "bundle.zip", tmp_path)
    assert rows is not None and "8305216473" in {r["value_as_read"] for r in rows}
    assert "8305216473" in page1


def test_every_bundle_looks_through_chat_exports_not_read_yet(tmp_path: Path, cli: Cli) -> None:
    # Done in export_bundle itself, for the window and the command line alike (it had been
    # done by each caller, and a third would have had to remember it).
    from app.core.intake import import_paths
    from app.core.reading import pending_exports
    from app.export import export_bundle

    path = tmp_path / "case.skcase"
    assert cli("new", str(path), "--kdf-profile", "1").code == 0
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    steps: list[str] = []
    with CaseFile.open(path, PASSPHRASE, actor="tester") as case:
        import_paths(case, [chat])
        result = export_bundle(case, tmp_path / "bundle.zip",
                               progress=lambda _done, _total, label: steps.append(label))
        assert pending_exports(case) == []
        again = export_bundle(case, tmp_path / "again.zip")
    assert result.chat_details_found == 7 and again.chat_details_found == 0  # 6 and £500
    assert steps[0] == "Looking through the chat exports"
    _page1, rows = _page_one_and_csv(tmp_path / "bundle.zip", tmp_path)
    assert rows is not None and "8305216473" in {r["value_as_read"] for r in rows}
