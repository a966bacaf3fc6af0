"""Check a bundle without the case file: every file against SHA256SUMS *and* manifest.json.

Reads the ZIP in place (nothing is extracted, memory stays bounded) and names every file
that differs, is missing, or was added. Works for AES-encrypted bundles given the passphrase.
A bundle can only be trusted against something held elsewhere: the result carries the
manifest's SHA-256 so it can be compared with the report's cover and the case's audit log.
"""

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyzipper  # reads plain and AES ZIPs alike

from app.errors import InvalidInput, NotFound, WrongPassphrase
from app.export.formatting import one_line
from app.export.manifest import CITING_DOCUMENTS, MANIFEST_NAME, SUMS_NAME, parse_sums
from app.i18n import tr

# pyzipper carries its own copy of zipfile, with its own exception classes.
_BAD_ZIP = (zipfile.BadZipFile, pyzipper.BadZipFile)
_CHUNK = 1 << 20
_MAX_SMALL_FILE = 256 << 20  # SHA256SUMS and manifest.json are read whole; refuse absurd ones


@dataclass
class VerifyReport:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)
    manifest_sha256: str | None = None
    encrypted: bool = False


class _Unreadable(Exception):
    pass


def verify_bundle(path: str | os.PathLike[str], passphrase: str | None = None) -> VerifyReport:
    bundle = Path(path)
    if not bundle.is_file():
        raise NotFound(tr("There is no bundle here. Check the name and the folder."))
    try:
        zf = pyzipper.AESZipFile(bundle)
    except (*_BAD_ZIP, OSError, ValueError):
        return VerifyReport(False, 0, [tr("This is not a ZIP file, or it is damaged.")])
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        encrypted = any(i.flag_bits & 0x1 for i in infos)
        if encrypted:
            if not passphrase:
                raise InvalidInput(tr("This bundle is encrypted. Give its passphrase with "
                                      "--bundle-passphrase-file."))
            zf.setpassword(passphrase.encode("utf-8"))
        report = _check(zf, infos)
        report.encrypted = encrypted
        return report


def _hash_member(zf: Any, info: Any) -> str:
    digest = hashlib.sha256()
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    except RuntimeError as exc:  # pyzipper's way of saying the passphrase is wrong
        if "password" in str(exc).lower():
            raise WrongPassphrase(tr("That passphrase does not open this bundle.")) from None
        raise _Unreadable() from None
    except (*_BAD_ZIP, OSError, EOFError, ValueError, NotImplementedError):
        # A bad CRC-32 or AES authentication code: the stored bytes were changed.
        raise _Unreadable() from None
    return digest.hexdigest()


def _read_small(zf: Any, info: Any) -> bytes:
    if info.file_size > _MAX_SMALL_FILE:
        raise _Unreadable()
    try:
        return bytes(zf.read(info))
    except RuntimeError as exc:
        if "password" in str(exc).lower():
            raise WrongPassphrase(tr("That passphrase does not open this bundle.")) from None
        raise _Unreadable() from None
    except (*_BAD_ZIP, OSError, EOFError, ValueError, NotImplementedError):
        raise _Unreadable() from None


def _check(zf: Any, infos: list[Any]) -> VerifyReport:
    problems: list[str] = []
    by_name: dict[str, Any] = {}
    for info in infos:
        if info.filename in by_name:
            problems.append(tr("{name}: appears twice in the ZIP.").format(
                name=one_line(info.filename)))
        by_name[info.filename] = info

    sums: dict[str, str] = {}
    if SUMS_NAME not in by_name:
        problems.append(tr("{name} is missing, so the files cannot be checked against it.").format(
            name=SUMS_NAME))
    else:
        try:
            text = _read_small(zf, by_name[SUMS_NAME]).decode("utf-8")
            sums, bad_lines = parse_sums(text)
            for line in bad_lines:
                problems.append(tr("{name}: a line cannot be read: {line}").format(
                    name=SUMS_NAME, line=one_line(line, 120)))
        except (_Unreadable, UnicodeDecodeError):
            problems.append(tr("{name} is damaged.").format(name=SUMS_NAME))

    manifest_files, manifest_evidence, manifest_sha = _read_manifest(zf, by_name, problems)

    checked = 0
    actual: dict[str, str] = {}
    for name, info in by_name.items():
        if name == SUMS_NAME:
            continue
        shown = one_line(name)
        try:
            actual[name] = _hash_member(zf, info)
        except _Unreadable:
            problems.append(tr("{name}: damaged or changed (the ZIP's own checksum does not "
                               "match).").format(name=shown))
            continue
        checked += 1
        if name not in sums:
            problems.append(tr("{name}: in the bundle but not listed in {sums} (a file was "
                               "added).").format(name=shown, sums=SUMS_NAME))
        elif sums[name] != actual[name]:
            problems.append(tr("{name}: does not match its SHA-256 in {sums} (the file was "
                               "changed).").format(name=shown, sums=SUMS_NAME))
        if manifest_files is not None and name not in manifest_files and \
                name not in (MANIFEST_NAME, *CITING_DOCUMENTS):
            problems.append(tr("{name}: in the bundle but not listed in {manifest}.").format(
                name=shown, manifest=MANIFEST_NAME))
        elif manifest_files is not None and name in manifest_files and \
                manifest_files[name] != actual[name]:
            problems.append(tr("{name}: does not match its SHA-256 in {manifest}.").format(
                name=shown, manifest=MANIFEST_NAME))
        if name in manifest_evidence and manifest_evidence[name] != actual[name]:
            problems.append(tr("{name}: does not match the hash taken when it was added to the "
                               "case.").format(name=shown))

    for name in sums:
        if name not in by_name:
            problems.append(tr("{name}: listed in {sums} but missing from the bundle.").format(
                name=one_line(name), sums=SUMS_NAME))
    for name in manifest_files or {}:
        if name not in by_name:
            problems.append(tr("{name}: listed in {manifest} but missing from the bundle.").format(
                name=one_line(name), manifest=MANIFEST_NAME))
    return VerifyReport(not problems, checked, problems, manifest_sha)


def _read_manifest(zf: Any, by_name: dict[str, Any], problems: list[str]
                   ) -> tuple[dict[str, str] | None, dict[str, str], str | None]:
    """({path: sha256} of the manifest's files, {path: sha256 at acquisition}, its own hash)."""
    if MANIFEST_NAME not in by_name:
        problems.append(tr("{name} is missing.").format(name=MANIFEST_NAME))
        return None, {}, None
    try:
        raw = _read_small(zf, by_name[MANIFEST_NAME])
        data = json.loads(raw.decode("utf-8"))
        files = {str(f["path"]): str(f["sha256"]).lower() for f in data["files"]}
        evidence = {str(e["file"]): str(e["sha256"]).lower()
                    for e in data.get("evidence", []) if e.get("file")}
    except (_Unreadable, UnicodeDecodeError, ValueError, KeyError, TypeError):
        problems.append(tr("{name} is damaged or is not a Safekeep manifest.").format(
            name=MANIFEST_NAME))
        return None, {}, None
    return files, evidence, hashlib.sha256(raw).hexdigest()
