"""Links inside a folder are never followed, and each is reported; a link given by name is
followed and says where it leads (issue 20, item 8). A folder copied from an archive could
hold a link to a private key or /etc/passwd, which would otherwise be kept and given to the
police with the evidence."""

import os
from pathlib import Path

import pytest

from app.core.intake import import_paths
from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links as on Linux")


@pytest.fixture
def folder_with_links(tmp_path: Path) -> Path:
    private = tmp_path / "private"
    private.mkdir()
    (private / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY----- secret")
    (private / "notes.txt").write_text("my own notes")
    folder = tmp_path / "from-archive"
    folder.mkdir()
    (folder / "chat.txt").write_text("pay me or else")
    (folder / "key.txt").symlink_to(private / "id_ed25519")
    (folder / "more").symlink_to(private, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere")
    return folder


def test_links_inside_a_folder_are_reported_and_not_followed(case: CaseFile,
                                                            folder_with_links: Path) -> None:
    outcomes = {Path(o.path).name: o for o in import_paths(case, [folder_with_links])}
    assert outcomes["chat.txt"].status == "added"
    for name, kind in (("key.txt", "file"), ("more", "folder"), ("dangling.txt", "file")):
        assert outcomes[name].status == "refused", name
        assert f"link to another {kind}" in (outcomes[name].reason or "")
    assert [e.original_name for e in list_evidence(case)] == ["chat.txt"]


def test_a_link_given_by_name_is_followed_and_says_where_it_leads(
        case: CaseFile, tmp_path: Path) -> None:
    real = tmp_path / "real-chat.txt"
    real.write_text("the real file")
    link = tmp_path / "shortcut.txt"
    link.symlink_to(real)
    [outcome] = import_paths(case, [link])
    assert outcome.status == "added"
    assert str(real) in outcome.path and "a link to" in outcome.path


def test_the_command_line_says_so_for_each_link(tmp_path: Path, folder_with_links: Path) -> None:
    path = tmp_path / "case.skcase"
    CaseFile.create(path, PASSPHRASE, display_name="x", actor="t",
                    kdf_profile=TEST_KDF_PROFILE).close()
    result = run_cli("add-evidence", str(path), str(folder_with_links))
    said = result.out + result.err
    assert "added: " in said and "chat.txt" in said
    assert said.count("Links inside a folder are not followed") == 3, result
    assert "secret" not in said and "Traceback" not in said


def test_a_loop_of_links_given_by_name_says_so(case: CaseFile, tmp_path: Path) -> None:
    first, second = tmp_path / "loopA", tmp_path / "loopB"
    first.symlink_to(second)
    second.symlink_to(first)
    [outcome] = import_paths(case, [first])
    assert outcome.status == "refused"
    assert outcome.reason is not None and "round in a circle" in outcome.reason
