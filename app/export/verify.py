"""Check a bundle without the case file: every file against SHA256SUMS *and* manifest.json.

Reads the ZIP in place (nothing is extracted, memory stays bounded) and names every file
that differs, is missing, or was added. Works for AES-encrypted bundles given the passphrase,
for bundles from before the one-folder layout (app/export/verify_layout.py), and for portal
packs, given their folder or any of their ZIP files (app/export/verify_pack.py). A bundle can
only be trusted against something held elsewhere: the result carries the manifest's SHA-256
so it can be compared with the report's cover and the case's audit log.
"""

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyzipper  # reads plain and AES ZIPs alike

from app.errors import InvalidInput, NotFound, WrongPassphrase
from app.export.formatting import one_line
from app.export.manifest import CITING_DOCUMENTS, MANIFEST_NAME, SUMS_NAME, parse_sums
from app.export.portal import PART_NAME
from app.export.verify_layout import split_layout, zip_entries
from app.i18n import tr

# pyzipper carries its own copy of zipfile, with its own exception classes.
BAD_ZIP = (zipfile.BadZipFile, pyzipper.BadZipFile)
_CHUNK = 1 << 20
_MAX_SMALL_FILE = 256 << 20  # SHA256SUMS and manifest.json are read whole; refuse absurd ones


@dataclass
class VerifyReport:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)
    manifest_sha256: str | None = None
    encrypted: bool = False
    parts: int = 0  # the ZIP files of a portal pack (0: a one-file bundle)


class Unreadable(Exception):
    pass


@dataclass
class Member:
    """One file of the bundle: one ZIP entry, or the pieces of a large original in order."""

    sources: list[tuple[Any, Any]]  # (open ZIP, its entry)
    # A piece's expected SHA-256 and how to name it, when the file was joined from pieces.
    piece_checks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(info.file_size for _zf, info in self.sources)

    def chunks(self) -> Iterator[tuple[int, bytes]]:
        for index, (zf, info) in enumerate(self.sources):
            try:
                with zf.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        yield index, chunk
            except RuntimeError as exc:  # pyzipper's way of saying the passphrase is wrong
                if "password" in str(exc).lower():
                    raise WrongPassphrase(tr("That passphrase does not open this bundle.")) \
                        from None
                raise Unreadable() from None
            except (*BAD_ZIP, OSError, EOFError, ValueError, NotImplementedError):
                # A bad CRC-32 or AES authentication code: the stored bytes were changed.
                raise Unreadable() from None


def open_zip(path: Path, passphrase: str | None) -> tuple[Any, list[Any], bool]:
    """(the open ZIP, all its entries, encrypted?). Raises Unreadable when it is no ZIP."""
    try:
        zf = pyzipper.AESZipFile(path)
    except (*BAD_ZIP, OSError, ValueError):
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
    """A bundle's ZIP, or a portal pack (its folder, or any of its ZIP files)."""
    bundle = Path(path)
    if bundle.is_dir() or (bundle.is_file() and PART_NAME.fullmatch(bundle.name)):
        from app.export.verify_pack import verify_pack

        return verify_pack(bundle, passphrase)
    if not bundle.is_file():
        raise NotFound(tr("There is no bundle here. Check the name and the folder."))
    try:
        zf, infos, encrypted = open_zip(bundle, passphrase)
    except Unreadable:
        return VerifyReport(False, 0, [tr("This is not a ZIP file, or it is damaged.")])
    with zf:
        problems: list[str] = []
        by_zip_name = zip_entries(infos, problems)
        _root, inside = split_layout(list(by_zip_name), problems)
        members = {path: Member([(zf, by_zip_name[name])]) for path, name in inside.items()}
        report = check_members(members, problems)
        report.encrypted = encrypted
        return report


def hash_member(member: Member, shown: str, problems: list[str]) -> str:
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


def read_small(member: Member) -> bytes:
    if member.size > _MAX_SMALL_FILE:
        raise Unreadable()
    return b"".join(chunk for _index, chunk in member.chunks())


def check_members(members: dict[str, Member], problems: list[str],
                  extras: frozenset[str] = frozenset()) -> VerifyReport:
    """Every file against SHA256SUMS and manifest.json. `extras` may be there unlisted (the
    index of a portal pack)."""
    sums: dict[str, str] = {}
    if SUMS_NAME not in members:
        problems.append(tr("{name} is missing, so the files cannot be checked against it.").format(
            name=SUMS_NAME))
    else:
        try:
            text = read_small(members[SUMS_NAME]).decode("utf-8")
            sums, bad_lines = parse_sums(text)
            for line in bad_lines:
                problems.append(tr("{name}: a line cannot be read: {line}").format(
                    name=SUMS_NAME, line=one_line(line, 120)))
        except (Unreadable, UnicodeDecodeError):
            problems.append(tr("{name} is damaged.").format(name=SUMS_NAME))

    manifest_files, manifest_evidence, manifest_sha = _read_manifest(members, problems)

    checked = 0
    for name, member in members.items():
        if name == SUMS_NAME or name in extras:
            continue
        shown = one_line(name)
        try:
            actual = hash_member(member, shown, problems)
        except Unreadable:
            problems.append(tr("{name}: damaged or changed (the ZIP's own checksum does not "
                               "match).").format(name=shown))
            continue
        checked += 1
        if name not in sums:
            problems.append(tr("{name}: in the bundle but not listed in {sums} (a file was "
                               "added).").format(name=shown, sums=SUMS_NAME))
        elif sums[name] != actual:
            problems.append(tr("{name}: does not match its SHA-256 in {sums} (the file was "
                               "changed).").format(name=shown, sums=SUMS_NAME))
        if manifest_files is not None and name not in manifest_files and \
                name not in (MANIFEST_NAME, *CITING_DOCUMENTS):
            problems.append(tr("{name}: in the bundle but not listed in {manifest}.").format(
                name=shown, manifest=MANIFEST_NAME))
        elif manifest_files is not None and name in manifest_files and \
                manifest_files[name] != actual:
            problems.append(tr("{name}: does not match its SHA-256 in {manifest}.").format(
                name=shown, manifest=MANIFEST_NAME))
        if name in manifest_evidence and manifest_evidence[name] != actual:
            problems.append(tr("{name}: does not match the hash taken when it was added to the "
                               "case.").format(name=shown))

    for name in sums:
        if name not in members:
            problems.append(tr("{name}: listed in {sums} but missing from the bundle.").format(
                name=one_line(name), sums=SUMS_NAME))
    for name in manifest_files or {}:
        if name not in members:
            problems.append(tr("{name}: listed in {manifest} but missing from the bundle.").format(
                name=one_line(name), manifest=MANIFEST_NAME))
    return VerifyReport(not problems, checked, problems, manifest_sha)


def _read_manifest(members: dict[str, Member], problems: list[str]
                   ) -> tuple[dict[str, str] | None, dict[str, str], str | None]:
    """({path: sha256} of the manifest's files, {path: sha256 at acquisition}, its own hash)."""
    if MANIFEST_NAME not in members:
        problems.append(tr("{name} is missing.").format(name=MANIFEST_NAME))
        return None, {}, None
    try:
        raw = read_small(members[MANIFEST_NAME])
        data = json.loads(raw.decode("utf-8"))
        files = {str(f["path"]): str(f["sha256"]).lower() for f in data["files"]}
        evidence = {str(e["file"]): str(e["sha256"]).lower()
                    for e in data.get("evidence", []) if e.get("file")}
        _check_evidence_names(data.get("evidence", []), problems)
    except (Unreadable, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        problems.append(tr("{name} is damaged or is not a Safekeep manifest.").format(
            name=MANIFEST_NAME))
        return None, {}, None
    return files, evidence, hashlib.sha256(raw).hexdigest()


def _check_evidence_names(items: list[dict[str, Any]], problems: list[str]) -> None:
    """The exporter's naming rule: each original is `evidence/AB-3_<first 8 hex>_...`, from
    its exhibit reference ("number" in bundles from before exhibit references) and hash, and
    no two items share a reference."""
    seen: set[str] = set()
    for item in items:
        ref = str(item.get("exhibit") or item["number"])
        if ref in seen:
            problems.append(tr("{manifest}: exhibit {ref} is listed twice.").format(
                manifest=MANIFEST_NAME, ref=one_line(ref)))
        seen.add(ref)
        file = item.get("file")
        prefix = f"evidence/{ref.replace('/', '-')}_{str(item['sha256'])[:8].lower()}_"
        if file and not str(file).startswith(prefix):
            problems.append(tr("{name}: the name does not start with its exhibit reference "
                               "and hash ({prefix}), as Safekeep names every original.").format(
                name=one_line(str(file)), prefix=one_line(prefix)))
