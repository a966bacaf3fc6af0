"""Check a portal pack: every part is there, each holds only the bundle's folder, no file is in
two parts, the pieces of large originals join into the file SHA256SUMS lists; then the same
checks as for a one-file bundle. Nothing is unzipped or joined on disk: pieces are read in
order, one after another, so memory stays flat whatever their size.
"""

import contextlib
from pathlib import Path
from typing import Any

from app.errors import InvalidInput, NotFound
from app.export.formatting import one_line
from app.export.portal import PART_NAME, part_file_name
from app.export.portal_index import INDEX_JSON, INDEX_SCHEMA, INDEX_TEXT
from app.export.verify import VerifyReport, check_members, open_zip
from app.export.verify_entries import total_problem
from app.export.verify_layout import split_layout, zip_entries
from app.export.verify_read import Malformed, Member, Problems, Unreadable, bounded_json, read_small
from app.export.verify_span import span_problems
from app.i18n import tr


def _find_parts(path: Path) -> tuple[str, int, Path]:
    """(stem, how many parts, their folder) from a pack's folder or one of its files."""
    if path.is_file():
        match = PART_NAME.fullmatch(path.name)
        assert match is not None
        return match.group("stem"), int(match.group("m")), path.parent
    packs = set()
    for child in path.iterdir():
        match = PART_NAME.fullmatch(child.name)
        if match and child.is_file():
            packs.add((match.group("stem"), int(match.group("m"))))
    if not packs:
        raise NotFound(tr("There is no bundle or portal pack in this folder. Give the bundle's "
                          "ZIP file, the folder it was unzipped into, or the folder of a "
                          "portal pack's files."))
    if len(packs) > 1:
        raise InvalidInput(tr("This folder holds the files of more than one portal pack. Give "
                              "the first file of the one to check."))
    stem, total = packs.pop()
    return stem, total, path


def verify_pack(path: Path, passphrase: str | None) -> VerifyReport:
    stem, total, folder = _find_parts(path)
    problems = Problems()
    members: dict[str, Member] = {}
    where: dict[str, str] = {}  # path in the bundle -> the part that holds it
    roots: set[str] = set()
    encrypted = False
    with contextlib.ExitStack() as stack:
        for number in range(1, total + 1):
            name = part_file_name(stem, number, total)
            part = folder / name
            if not part.is_file():
                problems.append(tr("{name} is missing: every file of the pack is needed.").format(
                    name=one_line(name)))
                continue
            try:
                zf, infos, part_encrypted = open_zip(part, passphrase)
            except Unreadable as exc:
                problems.append(str(exc) or tr("{name}: not a ZIP file, or damaged.").format(
                    name=one_line(name)))
                continue
            stack.enter_context(zf)
            for problem in span_problems(part, zf, infos):
                problems.append(f"{one_line(name)}: {problem}")
            encrypted = encrypted or part_encrypted
            by_zip_name = zip_entries(infos, problems, part_encrypted)
            refused = total_problem(list(by_zip_name.values()), part.stat().st_size)
            if refused is not None:
                problems.append(f"{one_line(name)}: {refused}")
                continue
            root, inside = split_layout(list(by_zip_name), problems)
            roots.add(root)
            for inner, zip_name in inside.items():
                if inner in members:
                    problems.append(tr("{name}: in both {one} and {other}.").format(
                        name=one_line(inner), one=where[inner], other=one_line(name)))
                    continue
                members[inner] = Member([(zf, by_zip_name[zip_name])])
                where[inner] = one_line(name)
        if len(roots) > 1:
            problems.append(tr("The files of this pack hold different folders: {folders}.")
                            .format(folders=", ".join(sorted(one_line(r) for r in roots))))
        _join_pieces(members, where, problems)
        report = check_members(members, problems, frozenset({INDEX_TEXT, INDEX_JSON}))
    report.encrypted = encrypted
    report.parts = total
    return report


def _join_pieces(members: dict[str, Member], where: dict[str, str], problems: Problems) -> None:
    """Replace the pieces the index names by the file they make, read in order."""
    if INDEX_JSON not in members:
        problems.append(tr("{name} is missing, so this portal pack cannot be put back "
                           "together.").format(name=INDEX_JSON))
        return
    try:
        # The index takes about 150 bytes a file of the pack (500 a piece): read whole,
        # within a bound that grows with the files it describes.
        most = (64 << 10) + 1024 * len(members)
        index = bounded_json(read_small(members[INDEX_JSON], most), most,
                             256 + 32 * len(members))
        if not isinstance(index, dict) or index.get("schema") != INDEX_SCHEMA:
            raise ValueError
        for listed in index.get("contents", []):
            part = str(listed["part"])
            for item in listed["files"]:
                path = str(item["path"])
                if path in where and where[path] != one_line(part):
                    problems.append(tr("{name}: {index} says it is in {part}, but it is in "
                                       "{found}.").format(name=one_line(path), index=INDEX_JSON,
                                                         part=one_line(part),
                                                         found=where[path]))
        split: list[dict[str, Any]] = list(index.get("split_files", []))
        for entry in split:
            path = str(entry["path"])
            pieces = [(str(p["name"]), str(p["sha256"]).lower()) for p in entry["pieces"]]
            missing = [n for n, _sha in pieces if n not in members]
            for n in missing:
                problems.append(tr("{name}: a piece of {file} is missing.").format(
                    name=one_line(n), file=one_line(path)))
            if missing or path in members:
                continue
            joined = Member([], [])
            for n, sha in pieces:
                joined.sources += members.pop(n).sources
                joined.piece_checks.append((sha, f"{one_line(n)} ({where[n]})"))
            members[path] = joined
    except (Unreadable, Malformed, UnicodeDecodeError, ValueError, KeyError, TypeError,
            AttributeError):
        problems.append(tr("{name} is damaged or is not a Safekeep portal index.").format(
            name=INDEX_JSON))
