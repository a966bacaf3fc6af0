"""The bundle's one folder and its exhibit references, read back as an officer gets them: a
real `unzip`, `cd` into the folder, `sha256sum -c`; the same exhibit reference in the file
names, every CSV and the manifest; hostile aliases never reach the folder's name; and verify
refusing what Safekeep never writes."""

import csv
import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.records.summary import edit_case
from app.core.records.timeline import add_event
from app.export import export_bundle, verify_bundle
from app.export.names import bundle_file_name, bundle_folder_name, is_bundle_folder_name
from app.models.casefile import CaseFile
from tests.test_export_support import build_demo_case

DAY = date(2026, 11, 30)


def real_unzip(bundle: Path, into: Path) -> Path:
    """`unzip` as installed, into an empty folder; the one folder it made."""
    if shutil.which("unzip") is None:
        pytest.skip("unzip is not installed here")
    into.mkdir()
    proc = subprocess.run(["unzip", "-q", str(bundle)], cwd=into, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [folder] = list(into.iterdir())
    assert folder.is_dir()
    return folder


def sha256sum_c(folder: Path) -> str:
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum (GNU coreutils) is not installed here")
    proc = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=folder,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def test_one_folder_named_after_the_case(case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    edit_case(case, display_name="Alex Smith", crime_reference="WM/2026/0042 ")
    result = export_bundle(case, tmp_path / "b.zip")
    today = date.today().isoformat()
    assert result.folder == f"Safekeep-Alex-Smith-WM-2026-0042-{today}"
    with zipfile.ZipFile(result.path) as zf:
        names = zf.namelist()
    assert names and all(n.startswith(result.folder + "/") for n in names)
    assert names[:2] == [result.folder + "/report.pdf", result.folder + "/README.txt"]
    folder = real_unzip(result.path, tmp_path / "out")
    assert folder.name == result.folder
    out = sha256sum_c(folder)
    assert out.count(": OK") == len(names) - 1
    readme = " ".join((folder / "README.txt").read_text("utf-8").split())
    assert f"It makes one folder, {result.folder}." in readme
    assert verify_bundle(result.path).ok


def test_exhibit_references_agree_everywhere(case: CaseFile, tmp_path: Path) -> None:
    edit_case(case, producer_initials="ab")
    ids = build_demo_case(case)
    result = export_bundle(case, tmp_path / "b.zip", include_sensitive=True)
    folder = real_unzip(result.path, tmp_path / "out")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    by_id = {e["id"]: e for e in manifest["evidence"]}
    assert [by_id[ids[k]]["exhibit"] for k in ("chat", "profile", "video", "receipt")] == \
        ["AB/1", "AB/2", "AB/3", "AB/4"]
    assert manifest["case"]["producer_initials"] == "AB"
    # The file names begin with the reference, "/" written "-"; the file exists.
    for item in manifest["evidence"]:
        stem = item["exhibit"].replace("/", "-")
        assert item["file"].startswith(f"evidence/{stem}_{item['sha256'][:8]}_")
        assert (folder / item["file"]).is_file()
    files = sorted(p.name for p in (folder / "evidence").iterdir())
    assert [f.split("_", 1)[0] for f in files] == ["AB-1", "AB-2", "AB-3", "AB-4"]
    # evidence.csv: the exhibit column and the file agree with the manifest.
    rows = read_csv(folder / "csv/evidence.csv")
    assert [(r["exhibit"], r["file_in_bundle"]) for r in rows] == \
        [(e["exhibit"], e["file"]) for e in manifest["evidence"]]
    # Links in the other CSVs and the manifest name the same references.
    [skype] = [r for r in read_csv(folder / "csv/identifiers.csv")
               if r["value_as_entered"] == "live:.cid.7f3a9b2e41d0c6"]
    assert skype["exhibits"] == "AB/1"
    [payment] = read_csv(folder / "csv/payments.csv")
    assert payment["exhibits"] == "AB/4" == " ".join(manifest["payments"][0]["exhibits"])
    threat = next(r for r in read_csv(folder / "csv/timeline.csv") if r["kind"] == "threat")
    assert threat["exhibits"] == "AB/1"
    # SHA256SUMS names the same files; the old four-digit number is gone from every file.
    sums = (folder / "SHA256SUMS").read_text("utf-8")
    assert all(e["file"] in sums for e in manifest["evidence"])
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json", ".txt", ""):
            text = path.read_text("utf-8", errors="replace")
            assert "Evidence 000" not in text and '"number"' not in text, path
    assert "0001_" not in sums
    # The report's exhibits table heads each item with the same reference and names its file.
    pdf = " ".join(" ".join(page.extract_text() or "" for page in
                            PdfReader(folder / "report.pdf").pages).split())
    for item in manifest["evidence"]:
        assert f"Exhibit {item['exhibit']}" in pdf
    assert "evidence/AB-1_" in pdf and "Evidence 0001" not in pdf
    sha256sum_c(folder)


def test_withheld_items_keep_their_reference(case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    folder = real_unzip(export_bundle(case, tmp_path / "b.zip").path, tmp_path / "out")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["withheld_evidence"] == ["TC/3"]
    rows = {r["exhibit"]: r for r in read_csv(folder / "csv/evidence.csv")}
    assert rows["TC/3"]["file_in_bundle"] == "withheld (sensitive)"
    assert not list((folder / "evidence").glob("TC-3_*"))


HOSTILE_ALIASES = [
    '=HYPERLINK("http://x/leak","click")', "../../etc/passwd", "..\\..\\Windows\\cmd",
    "tab\there\nnew\x00line\x1b[31m", "Anna\u202egnp.exe", "CON", "  ", "$(rm -rf ~)",
    "'; DROP TABLE", "Анна Петрова", "😀😀", "a" * 300,
]


@pytest.mark.parametrize("alias", HOSTILE_ALIASES)
def test_hostile_aliases_never_reach_the_folder_name(alias: str) -> None:
    for reference in (None, "", "../x", "=1+1", "WM/2024/0001 \u200b"):
        name = bundle_folder_name(alias, reference, DAY)
        assert is_bundle_folder_name(name), name
        assert name.startswith("Safekeep-") and name.endswith("-2026-11-30")
        assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in name), name
        assert "--" not in name and len(name) <= 100
        assert bundle_file_name(alias, DAY, reference) == name + ".zip"


def test_a_hostile_alias_makes_a_bundle_that_unzips_and_verifies(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    alias = '=HYPERLINK("../../x")\u202e\x07 CR'
    with make_case(display_name=alias) as case:
        build_demo_case(case)  # sets a crime reference: replaced with a hostile one
        edit_case(case, crime_reference="../..\\C:/etc")
        result = export_bundle(case, tmp_path / "b.zip")
    assert result.folder == f"Safekeep-HYPERLINK-x-CR-C-etc-{date.today().isoformat()}"
    folder = real_unzip(result.path, tmp_path / "out")
    assert folder.parent == tmp_path / "out"
    sha256sum_c(folder)
    assert verify_bundle(result.path).ok


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE

    folder = tmp_path_factory.mktemp("layout")
    with CaseFile.create(folder / "case.skcase", PASSPHRASE, display_name="Alex", actor="t",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        build_demo_case(case)
        return export_bundle(case, folder / "bundle.zip").path


def copy_with(src: Path, dst: Path, extra: list[tuple[str, bytes]]) -> Path:
    """A re-zipped copy (valid CRCs) with entries added."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for name, data in extra:
            info = zipfile.ZipInfo(name)
            new.writestr(info, data)
    return dst


def folder_of(bundle: Path) -> str:
    with zipfile.ZipFile(bundle) as zf:
        return zf.namelist()[0].split("/", 1)[0]


@pytest.mark.parametrize("planted", [
    "../evil.txt", "/etc/evil.txt", "C:/evil.txt", "{top}/..\\evil.txt", "{top}/../evil.txt",
    "{top}\\evil.txt", "evil.txt", "Other-folder/evil.txt",
])
def test_verify_refuses_names_outside_the_folder(bundle: Path, tmp_path: Path,
                                                 planted: str) -> None:
    name = planted.format(top=folder_of(bundle))
    report = verify_bundle(copy_with(bundle, tmp_path / "t.zip", [(name, b"x")]))
    assert not report.ok
    assert any("evil.txt" in p for p in report.problems), report.problems


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("duplicate", ["csv/audit.csv", "CSV/Audit.csv"])
def test_verify_refuses_duplicates(bundle: Path, tmp_path: Path, duplicate: str) -> None:
    copy = copy_with(bundle, tmp_path / "t.zip", [(f"{folder_of(bundle)}/{duplicate}", b"x")])
    report = verify_bundle(copy)
    said = "appears twice" if duplicate == "csv/audit.csv" else "the same file as"
    assert any(said in p for p in report.problems), report.problems


def test_verify_keeps_the_exporters_naming_rules(bundle: Path, tmp_path: Path) -> None:
    top = folder_of(bundle)
    planted = copy_with(bundle, tmp_path / "planted.zip",
                        [(f"{top}/evidence/\u202egnp.exe", b"x")])
    assert any("never writes a file name like this" in p
               for p in verify_bundle(planted).problems)
    # An original whose name no longer starts with its exhibit reference and hash.
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(tmp_path / "m.zip", "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith("/manifest.json"):
                data = data.replace(b'"exhibit": "AL/1"', b'"exhibit": "ZZ/9"')
            new.writestr(info, data)
    problems = verify_bundle(tmp_path / "m.zip").problems
    assert any("does not start with its exhibit reference" in p and "ZZ-9" in p
               for p in problems), problems
    # A renamed folder is named too (the files inside still match their hashes).
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(tmp_path / "f.zip", "w") as new:
        for info in old.infolist():
            data = old.read(info)
            info.filename = info.filename.replace(top, "my copy", 1)
            new.writestr(info, data)
    problems = verify_bundle(tmp_path / "f.zip").problems
    assert problems and all("does not name a bundle's folder" in p for p in problems), problems


def test_a_bundle_from_before_the_folder_still_verifies(bundle: Path, tmp_path: Path) -> None:
    """Bundles made before the one-folder layout had their files at the top of the ZIP."""
    top = folder_of(bundle) + "/"
    flat = tmp_path / "flat.zip"
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(flat, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            info.filename = info.filename.removeprefix(top)
            new.writestr(info, data)
    assert verify_bundle(flat).ok
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(tmp_path / "mixed.zip", "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("SHA256SUMS", b"")  # a second, empty list at the top
    assert not verify_bundle(tmp_path / "mixed.zip").ok


def test_initials_the_fonts_lack_never_become_missing_glyphs(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    """Initials come from the alias, which may hold a letter no font in the report has (a rare
    CJK ideograph): initials keep only the letters A to Z, so no missing glyph (NUL in the
    text) can reach the report, and the accent is taken off the other word's letter."""
    with make_case(display_name="Case \U00025984\u00d9") as case:
        build_demo_case(case)
        folder = real_unzip(export_bundle(case, tmp_path / "b.zip").path, tmp_path / "out")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["evidence"][0]["exhibit"] == "CU/1"  # letters A to Z, accents taken off
    text = "".join(page.extract_text() or "" for page in PdfReader(folder / "report.pdf").pages)
    assert "\x00" not in text
    assert any(p.name.startswith("CU-1_") for p in (folder / "evidence").iterdir())
    sha256sum_c(folder)


def test_a_section_heading_is_never_left_alone_at_the_foot_of_a_page(case: CaseFile,
                                                                     tmp_path: Path) -> None:
    build_demo_case(case)
    # Each added event lengthens the chronology by a row, so the headings after it land at
    # every height of a page in turn, the foot included.
    for n in range(14):
        add_event(case, datetime(2024, 3, 2, 9, n, tzinfo=UTC),
                  f"Event {n}: they wrote again and again. " * 3, kind="threat")
        result = export_bundle(case, tmp_path / f"bundle-{n}.zip")
        with zipfile.ZipFile(result.path) as archive:
            pdf = next(name for name in archive.namelist() if name.endswith("report.pdf"))
            pages = [page.extract_text() or ""
                     for page in PdfReader(io.BytesIO(archive.read(pdf))).pages]
        # Each heading shares its page with the start of what it introduces.
        for heading, first_column in (("Offender identifiers", "Kind"),
                                      ("Exhibits and their continuity", "Obtained")):
            page = next(p for p in pages if heading in p)
            assert first_column in page.split(heading, 1)[1], (n, heading)
