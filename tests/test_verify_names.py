"""`verify` holds a bundle to the exporter's own naming and structure rules (issue 20, item 4).

Every hostile entry here is listed in SHA256SUMS and in manifest.json with its true SHA-256,
as a forger who rewrites both would list it: only the rules themselves can catch it. Names
that escape the folder, names unzip tools write onto another file (`//`, `./`, capitals,
NFC/NFD, a final dot or space), links, folders holding data, a manifest naming a file the ZIP
lacks, and manifests nested or shaped wrongly: each is a reported problem, never "OK" and
never "Something unexpected".
"""

import stat
import unicodedata
import zipfile
from pathlib import Path

import pytest

from app.export import verify_bundle
from tests.conftest import CliResult, run_cli
from tests.verify_support import ACCENTED, Extra, Forgery, folder_of, forge, make_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bundle(tmp_path_factory.mktemp("names"))


def original(bundle: Path, part: str) -> str:
    """The path (inside the folder) of the original whose name holds `part`."""
    with zipfile.ZipFile(bundle) as zf:
        root = folder_of(bundle) + "/"
        return next(n[len(root):] for n in zf.namelist()
                    if n.startswith(root + "evidence/") and part in n)


def problems_of(path: Path) -> list[str]:
    report = verify_bundle(path)
    assert not report.ok, "verify said OK"
    assert report.problems, "not OK, yet no problem named"
    return report.problems


def test_the_genuine_bundle_verifies(bundle: Path) -> None:
    report = verify_bundle(bundle)
    assert report.ok, report.problems


ESCAPES = ["{F}/../escape.txt", "/etc/escape.txt", "C:/escape.txt", "C:escape.txt",
           "{F}\\evidence\\escape.txt", "{F}/evidence\\escape.txt", "\\\\server\\share\\x"]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_name_pointing_outside_is_a_problem(bundle: Path, tmp_path: Path,
                                               template: str) -> None:
    name = template.format(F=folder_of(bundle))
    forged = forge(bundle, tmp_path / "f.zip", Forgery(extras=[Extra(name, b"planted")]))
    problems = problems_of(forged)
    assert any("outside" in p for p in problems), problems


TWINS = {
    "double slash": lambda f, e: f"{f}/{e.replace('/', '//')}",
    "dot folder": lambda f, e: f"{f}/./{e}",
    "leading dot": lambda f, e: f"./{f}/{e}",
    "capitals": lambda f, e: f"{f}/{e.upper()}",
    "trailing dot": lambda f, e: f"{f}/{e}.",
    "trailing space": lambda f, e: f"{f}/{e} ",
    "folder capitals": lambda f, e: f"{f.upper()}/{e}",
}


@pytest.mark.parametrize("how", sorted(TWINS))
def test_a_twin_of_an_original_is_named(bundle: Path, tmp_path: Path, how: str) -> None:
    """With `//` and `./`, unzip wrote the forger's file over the real evidence, while verify
    said OK: the twin comes after the original in the ZIP, so it is the one left on disk."""
    target = original(bundle, "Screenshot")
    twin = TWINS[how](folder_of(bundle), target)
    forged = forge(bundle, tmp_path / "f.zip",
                   Forgery(extras=[Extra(twin, b"the forger's picture")]))
    problems = problems_of(forged)
    assert any("same file as" in p for p in problems), problems


def test_nfc_and_nfd_twins_are_named(bundle: Path, tmp_path: Path) -> None:
    """macOS writes "é" and "e + ́" to one file; Safekeep writes every name in NFC."""
    target = original(bundle, unicodedata.normalize("NFC", ACCENTED)[:4])
    assert unicodedata.is_normalized("NFC", target)
    twin = f"{folder_of(bundle)}/{unicodedata.normalize('NFD', target)}"
    assert twin != f"{folder_of(bundle)}/{target}"
    forged = forge(bundle, tmp_path / "f.zip", Forgery(extras=[Extra(twin, b"forged")]))
    problems = problems_of(forged)
    assert any("same file as" in p for p in problems), problems


def test_a_symlink_entry_is_a_problem(bundle: Path, tmp_path: Path) -> None:
    link = Extra(f"{folder_of(bundle)}/evidence/AL-9_00000000_link.png", b"/etc/passwd",
                 compress_type=zipfile.ZIP_STORED,
                 external_attr=(stat.S_IFLNK | 0o777) << 16)
    problems = problems_of(forge(bundle, tmp_path / "f.zip", Forgery(extras=[link])))
    assert any("link" in p and "AL-9_00000000_link.png" in p for p in problems), problems


@pytest.mark.parametrize("mode", [stat.S_IFIFO, stat.S_IFCHR, stat.S_IFDIR])
def test_other_special_entries_are_problems(bundle: Path, tmp_path: Path, mode: int) -> None:
    odd = Extra(f"{folder_of(bundle)}/csv/odd.csv", b"x", external_attr=(mode | 0o644) << 16)
    problems = problems_of(forge(bundle, tmp_path / "f.zip", Forgery(extras=[odd])))
    assert any("csv/odd.csv" in p and "not a plain file" in p for p in problems), problems


def test_a_folder_entry_holding_data_is_a_problem(bundle: Path, tmp_path: Path) -> None:
    folder = Extra(f"{folder_of(bundle)}/evidence/hidden/", b"data hidden in a folder entry",
                   listed=False)
    problems = problems_of(forge(bundle, tmp_path / "f.zip", Forgery(extras=[folder])))
    assert any("evidence/hidden/" in p and "folder" in p for p in problems), problems


def test_an_empty_folder_entry_is_fine(bundle: Path, tmp_path: Path) -> None:
    """Zipping the unzipped folder again with another tool adds empty folder entries."""
    folder = Extra(f"{folder_of(bundle)}/evidence/", b"", listed=False)
    report = verify_bundle(forge(bundle, tmp_path / "f.zip", Forgery(extras=[folder])))
    assert report.ok, report.problems


def test_an_original_the_manifest_names_but_the_zip_lacks(bundle: Path, tmp_path: Path) -> None:
    """Dropped from the ZIP, from SHA256SUMS and from the manifest's files: the manifest's
    evidence entry still names it, and says it is not withheld."""
    gone = original(bundle, "facebook")
    problems = problems_of(forge(bundle, tmp_path / "f.zip", Forgery(drop=(gone,), unlist=(gone,))))
    assert any(gone in p and "missing" in p for p in problems), problems


def test_a_file_the_manifest_names_but_the_zip_lacks(bundle: Path, tmp_path: Path) -> None:
    problems = problems_of(forge(bundle, tmp_path / "f.zip", Forgery(drop=("csv/payments.csv",))))
    assert any("csv/payments.csv" in p and "missing" in p for p in problems), problems


MANIFESTS = {
    "nested": b"[" * 200_000 + b"]" * 200_000,
    "nested object": b'{"files": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001,
    "not json": b"\xff\xfe not json",
    "a list": b"[1, 2, 3]\n",
    "files not a list": b'{\n  "schema": "safekeep-bundle-manifest",\n  "files": 7\n}\n',
    "entries not objects": b'{\n  "files": [\n    1,\n    "x"\n  ]\n}\n',
    "evidence an object": b'{\n  "evidence": {"a": 1},\n  "files": []\n}\n',
    "a huge number": b'{\n  "files": [\n    {"path": "a", "sha256": ' + b"9" * 100_000 +
                     b', "size": 1}\n  ]\n}\n',
    "empty": b"",
}


@pytest.mark.parametrize("kind", sorted(MANIFESTS))
def test_a_malformed_manifest_is_a_reported_problem(bundle: Path, tmp_path: Path,
                                                     kind: str) -> None:
    forged = forge(bundle, tmp_path / "f.zip",
                   Forgery(replace={"manifest.json": MANIFESTS[kind]}))
    problems = problems_of(forged)
    assert any("manifest.json" in p for p in problems), problems
    result: CliResult = run_cli("verify", str(forged))
    assert result.code == 1, result  # a problem found, not "Something unexpected" (5)
    assert "unexpected" not in result.err.lower(), result
