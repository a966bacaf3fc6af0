"""Check a bundle without the case file: every file against SHA256SUMS *and* manifest.json.

Reads the ZIP in place (nothing is extracted, memory stays bounded) and names every file that
differs, is missing, or was added. Works for AES-encrypted bundles given the passphrase, for
bundles from before the one-folder layout (app/export/verify_layout.py), for portal packs,
given their folder or any of their ZIP files (app/export/verify_pack.py), and for a bundle
already unzipped (app/export/verify_folder.py). Officers run it on
files they did not make: only what the exporter writes is read (verify_entries.py), the
manifest and SHA256SUMS are read within bounds (verify_manifest.py), and problems past the
first fifty are counted, not kept.

What it proves, and what it cannot: every file agrees with manifest.json, which lists the
SHA-256 of every file but itself and SHA256SUMS (report.pdf included). Someone who changes a
file can write a new manifest to match, so a bundle is trusted only against the manifest's
SHA-256 given separately by the person who made it (and kept in the case's audit log): the
result carries it, and the report's, to compare.
"""

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyzipper  # reads plain and AES ZIPs alike

from app.errors import InvalidInput, NotFound, StorageError
from app.export.formatting import one_line
from app.export.manifest import CITING_DOCUMENTS, MANIFEST_NAME, REPORT_NAME, SUMS_NAME
from app.export.portal import PART_NAME
from app.export.verify_entries import directory_problem, total_problem
from app.export.verify_layout import split_layout, zip_entries
from app.export.verify_manifest import read_manifest, read_sums
from app.export.verify_read import BAD_ZIP, NOT_READ, OTHER_NAME, Member, Problems, Unreadable
from app.export.verify_span import span_problems
from app.i18n import tr


@dataclass
class VerifyReport:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)  # the first ones found
    manifest_sha256: str | None = None
    encrypted: bool = False
    parts: int = 0  # the ZIP files of a portal pack (0: a one-file bundle)
    problem_count: int = 0  # all of them
    report_sha256: str | None = None
    notes: list[str] = field(default_factory=list)  # worth knowing, not problems
    # Files of the bundle that failed a check of their own (changed, added, damaged, missing):
    # one changed file fails three checks, and "3 problems" read as three files.
    files_flagged: int = 0


def open_zip(path: Path, passphrase: str | None) -> tuple[Any, list[Any], bool]:
    """(the open ZIP, all its entries, encrypted?). Raises Unreadable when it is no ZIP, or its
    directory is too large to read safely (with the reason)."""
    refused = directory_problem(path)
    if refused is not None:
        raise Unreadable(refused)
    try:
        zf = pyzipper.AESZipFile(path)
    except (*BAD_ZIP, OSError, ValueError, EOFError):
        raise Unreadable() from None
    infos = list(zf.infolist())
    encrypted = any(i.flag_bits & 0x1 for i in infos if not i.is_dir())
    if encrypted:
        if not passphrase:
            zf.close()
            raise InvalidInput(tr("This bundle is encrypted. Give its passphrase with "
                                  "--bundle-passphrase-file."))
        zf.setpassword(passphrase.encode("utf-8"))
    return zf, infos, encrypted


def verify_bundle(path: str | os.PathLike[str], passphrase: str | None = None) -> VerifyReport:
    """A bundle's ZIP or its unzipped folder, or a portal pack (its folder, or any of its ZIP
    files)."""
    try:
        return _verify(Path(path), passphrase)
    except OSError:
        # A drive that stopped answering while the bundle was read (a USB stick taken out,
        # one failing): said, where it had been "Something unexpected went wrong".
        raise StorageError(tr(
            "The bundle could not be read to the end. If it is on a USB stick or another "
            "drive, check that the drive is plugged in, then check the bundle again.")) from None


def _verify(bundle: Path, passphrase: str | None) -> VerifyReport:
    if bundle.is_dir() and not _holds_parts(bundle):
        from app.export.verify_folder import unzipped_root, verify_folder

        root = unzipped_root(bundle)
        if root is not None:
            return verify_folder(root)
    if bundle.is_dir() or (bundle.is_file() and PART_NAME.fullmatch(bundle.name)):
        from app.export.verify_pack import verify_pack

        return verify_pack(bundle, passphrase)
    if not bundle.is_file():
        raise NotFound(tr("There is no bundle here. Check the name and the folder."))
    problems = Problems()
    try:
        zf, infos, encrypted = open_zip(bundle, passphrase)
    except Unreadable as exc:
        problems.append(str(exc) or tr("This is not a ZIP file, or it is damaged."))
        return VerifyReport(False, 0, problems.first, problem_count=problems.count)
    with zf:
        for problem in span_problems(bundle, zf, infos):
            problems.append(problem)
        by_zip_name = zip_entries(infos, problems, encrypted)
        refused = total_problem(list(by_zip_name.values()), bundle.stat().st_size)
        if refused is not None:  # many small entries that each claim a little too much
            problems.append(refused)
            return VerifyReport(False, 0, problems.first, problem_count=problems.count,
                                encrypted=encrypted)
        _root, inside = split_layout(list(by_zip_name), problems)
        members = {path: Member([(zf, by_zip_name[name])]) for path, name in inside.items()}
        report = check_members(members, problems)
        report.encrypted = encrypted
        return report


def _holds_parts(folder: Path) -> bool:
    """Does the folder hold a portal pack's files? (Then the pack is checked, even when a
    bundle was unzipped beside them.)"""
    try:
        return any(PART_NAME.fullmatch(child.name) for child in folder.iterdir())
    except OSError:
        return False


def hash_member(member: Member, shown: str, problems: Problems) -> str:
    digest = hashlib.sha256()
    pieces = [hashlib.sha256() for _ in member.sources]
    for index, chunk in member.chunks():
        digest.update(chunk)
        pieces[index].update(chunk)
    for (expected, piece_shown), piece in zip(member.piece_checks, pieces, strict=False):
        if piece.hexdigest() != expected:
            problems.append(tr("{name}: this piece of {file} does not match its SHA-256 in "
                               "the portal pack's index.").format(name=piece_shown, file=shown))
    return digest.hexdigest()


def check_members(members: dict[str, Member], problems: Problems,
                  extras: frozenset[str] = frozenset()) -> VerifyReport:
    """Every file against SHA256SUMS and manifest.json. `extras` may be there unlisted (the
    index of a portal pack)."""
    present = set(members) - extras
    sums: dict[str, str] = {}
    if SUMS_NAME not in members:
        problems.append(tr("{name} is missing, so the files cannot be checked against it.").format(
            name=SUMS_NAME))
    else:
        sums = read_sums(members[SUMS_NAME], present, problems)
    manifest = None
    if MANIFEST_NAME not in members:
        problems.append(tr("{name} is missing.").format(name=MANIFEST_NAME))
    else:
        manifest = read_manifest(members[MANIFEST_NAME], present, problems)
    notes: list[str] = []
    unlisted = {MANIFEST_NAME}  # the manifest cannot hold its own hash
    if manifest is not None and manifest.version < 3:
        unlisted.update(CITING_DOCUMENTS)
        notes.append(tr("This bundle was made by an earlier Safekeep: its {manifest} does not "
                        "list {report} and {readme}, so only {sums} covers them, and anyone "
                        "can rewrite that.").format(manifest=MANIFEST_NAME, report=REPORT_NAME,
                                                    readme=CITING_DOCUMENTS[1], sums=SUMS_NAME))

    checked = 0
    hashes: dict[str, str] = {}
    flagged = 0
    for name, member in members.items():
        if name == SUMS_NAME or name in extras:
            continue
        shown = one_line(name)
        before = problems.count
        try:
            actual = hash_member(member, shown, problems)
        except Unreadable as exc:
            if str(exc) == OTHER_NAME:
                problems.append(tr("{name}: not checked: the name stored beside its bytes is "
                                   "another one, so unzip tools may give the file either name. "
                                   "Safekeep writes one name for each file.").format(name=shown))
            elif str(exc) == NOT_READ:
                problems.append(tr("{name}: could not be read (no permission to read it, or "
                                   "the disk has a problem), so it was not checked.").format(
                    name=shown))
            else:
                problems.append(tr("{name}: damaged or changed (the ZIP's own checksum does "
                                   "not match).").format(name=shown))
            flagged += 1
            continue
        checked += 1
        if name in (MANIFEST_NAME, REPORT_NAME):
            hashes[name] = actual
        if name not in sums:
            problems.append(tr("{name}: in the bundle but not listed in {sums} (a file was "
                               "added).").format(name=shown, sums=SUMS_NAME))
        elif sums[name] != actual:
            problems.append(tr("{name}: does not match its SHA-256 in {sums} (the file was "
                               "changed).").format(name=shown, sums=SUMS_NAME))
        if manifest is not None and name not in manifest.files and name not in unlisted:
            problems.append(tr("{name}: in the bundle but not listed in {manifest}.").format(
                name=shown, manifest=MANIFEST_NAME))
        elif manifest is not None and name in manifest.files and manifest.files[name] != actual:
            problems.append(tr("{name}: does not match its SHA-256 in {manifest}.").format(
                name=shown, manifest=MANIFEST_NAME))
        if manifest is not None and manifest.evidence.get(name, actual) != actual:
            problems.append(tr("{name}: does not match the hash taken when it was added to the "
                               "case.").format(name=shown))
        flagged += problems.count > before

    for name in sums:
        if name not in members:
            problems.append(tr("{name}: listed in {sums} but missing from the bundle.").format(
                name=one_line(name), sums=SUMS_NAME))
            flagged += 1
    return VerifyReport(not problems, checked, problems.first, hashes.get(MANIFEST_NAME),
                        problem_count=problems.count, report_sha256=hashes.get(REPORT_NAME),
                        notes=notes, files_flagged=flagged)
