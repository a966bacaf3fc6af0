"""The index of a portal pack, in its first part: PORTAL-PACK.txt for the officer (which file
holds what, how to put the bundle back together, how to join pieces) and portal-pack.json for
`safekeep verify` (the parts, and which pieces make which file).

Neither is listed in SHA256SUMS: they describe the packing, not the case, and the files they
point to are all checked against SHA256SUMS and manifest.json once joined.

Join commands are meant to be pasted, and the names in them come partly from criminals: the
POSIX command quotes each name in single quotes (nothing inside is special to the shell);
Command Prompt reads % and ! inside double quotes as variables, so for a name holding one of
them no Command Prompt line is offered.
"""

from __future__ import annotations

import json
import re

from app.export.formatting import size_text
from app.export.portal import Plan, PortalLimits, Segment
from app.export.readme_text import wrap_for_notepad
from app.i18n import tr, tr_n

INDEX_TEXT = "PORTAL-PACK.txt"
INDEX_JSON = "portal-pack.json"
INDEX_SCHEMA = "safekeep-portal-pack"
INDEX_VERSION = 1
PLACEHOLDER_SHA = "0" * 64  # while sizing the index: a piece's hash has this length
_NUMBERED = re.compile(r"(.*?)(\d+)")
_CMD_UNSAFE = frozenset("%!")


def _posix(path: str) -> str:
    return "'" + path.replace("'", "'\\''") + "'"


def _cmd(path: str) -> str:
    return '"' + path.replace("/", "\\") + '"'


def _runs(labels: list[str]) -> str:
    """["AB/1", "AB/2", "AB/3", "AB/7"] -> "AB/1 to AB/3, AB/7"."""
    numbered: list[tuple[str, int]] = []
    for label in labels:
        match = _NUMBERED.fullmatch(label)
        numbered.append((match.group(1), int(match.group(2))) if match else (label, -1))
    numbered.sort()
    out: list[str] = []
    index = 0
    while index < len(numbered):
        start = index
        prefix, number = numbered[index]
        while (index + 1 < len(numbered) and numbered[index + 1][0] == prefix
               and numbered[index + 1][1] == numbered[index][1] + 1 and number >= 0):
            index += 1
        first = f"{prefix}{number}" if number >= 0 else prefix
        last = f"{prefix}{numbered[index][1]}"
        out.append(first if index == start else tr("{first} to {last}").format(first=first,
                                                                              last=last))
        index += 1
    return ", ".join(out)


def _holds(segments: list[Segment], first: bool) -> list[str]:
    documents = [s.member for s in segments if not s.file.label]
    if first:
        documents += [INDEX_TEXT, INDEX_JSON]
    grouped: dict[str, int] = {}
    plain: list[str] = []
    for name in documents:
        folder, _, _rest = name.partition("/")
        if _rest and folder != "evidence":
            grouped[folder] = grouped.get(folder, 0) + 1
        else:
            plain.append(name)
    plain += [tr_n("{folder}/ (%n file)", "{folder}/ (%n files)", n).format(folder=folder)
              for folder, n in grouped.items()]
    lines = [", ".join(plain)] if plain else []
    whole = [s.file.label for s in segments if s.file.label and not s.pieces]
    if whole:
        lines.append(tr_n("original: {refs}", "originals: {refs} (%n files)", len(whole)).format(
            refs=_runs(whole)))
    for s in segments:
        if s.file.label and s.pieces:
            lines.append(tr("{ref}: piece {n} of {m} ({name})").format(
                ref=s.file.label, n=s.piece, m=s.pieces, name=s.member))
    return lines


def index_files(plan: Plan, part_names: list[str], folder: str, limits: PortalLimits,
                piece_sums: dict[str, str]) -> list[tuple[str, bytes]]:
    """(path in the folder, content) of both index files. `piece_sums` maps a piece's name to
    its SHA-256 (PLACEHOLDER_SHA while the plan is being sized)."""
    return [(INDEX_TEXT, _text(plan, part_names, folder, limits, piece_sums)),
            (INDEX_JSON, _json(plan, part_names, folder, limits, piece_sums))]


def _text(plan: Plan, part_names: list[str], folder: str, limits: PortalLimits,
          piece_sums: dict[str, str]) -> bytes:
    total = len(part_names)
    lines = [
        tr("SAFEKEEP CASE BUNDLE - PORTAL PACK"), "=" * 34, "",
        tr_n("This case bundle was split into %n ZIP file for an upload portal that takes at "
             "most {files} files of at most {size} each.",
             "This case bundle was split into %n ZIP files for an upload portal that takes at "
             "most {files} files of at most {size} each.", total).format(
            files=limits.max_files, size=size_text(limits.max_size)),
        tr("Together they hold exactly the files of one bundle, in the folder {folder}.").format(
            folder=folder),
        "",
        tr("HOW TO PUT THE BUNDLE BACK TOGETHER"), "-" * 35,
        tr_n("1. Download the %n file into one folder.", "1. Download all %n files into one "
             "folder.", total),
        tr("2. Unzip every file into that same folder (Windows suggests a new folder for each "
           "file: remove the last part of the path it suggests). In a terminal:"),
        f"     for f in *-part-*-of-{total:02d}.zip; do unzip -q \"$f\"; done",
        "     Get-ChildItem -Filter '*-part-*-of-" + f"{total:02d}.zip' | ForEach-Object "
        "{ Expand-Archive -LiteralPath $_.FullName -DestinationPath . }",
    ]
    split = plan.split_files
    step = 3
    if split:
        lines += [
            tr("3. Join the pieces of the large files below. In the folder {folder}, run "
               "(Linux or macOS):").format(folder=folder),
        ]
        for f in split:
            members = [s.member for _i, s in plan.segments_of(f.path)]
            lines.append("     cat " + " ".join(_posix(m) for m in members) + " > "
                         + _posix(f.path))
        lines.append(tr("   or in Windows Command Prompt (cmd):"))
        for f in split:
            members = [s.member for _i, s in plan.segments_of(f.path)]
            if any(ch in _CMD_UNSAFE for ch in f.path):
                lines.append("     " + tr("({name}: its name holds % or !, which Command "
                                          "Prompt would change; use the command above, in "
                                          "Git Bash or WSL)").format(name=f.path))
                continue
            lines.append("     copy /b " + "+".join(_cmd(m) for m in members) + " "
                         + _cmd(f.path))
        lines.append(tr("   Then the pieces (.001, .002...) can be deleted."))
        step = 4
    lines += [
        tr("{n}. In the folder {folder}, check every file as README.txt explains: "
           "sha256sum -c SHA256SUMS").format(n=step, folder=folder),
        tr("   With Safekeep: safekeep verify FOLDER-OF-THESE-FILES (or the first file)."),
        "",
        tr("WHICH FILE HOLDS WHAT"), "-" * 21,
    ]
    for number, (name, segments) in enumerate(zip(part_names, plan.parts, strict=True)):
        lines.append(name)
        lines += ["    " + line for line in _holds(segments, number == 0)]
    if split:
        lines += ["", tr("PIECES OF LARGE FILES"), "-" * 21]
        for f in split:
            lines.append(tr("{path}: {size}, SHA-256 {sha256} (also in SHA256SUMS)").format(
                path=f.path, size=size_text(f.size), sha256=f.sha256))
            for index, s in plan.segments_of(f.path):
                lines.append(f"    {piece_sums[s.member]}  {s.member}    "
                             + tr("(in {part})").format(part=part_names[index]))
    return ("\r\n".join(wrap_for_notepad(lines)) + "\r\n").encode("utf-8")


def _json(plan: Plan, part_names: list[str], folder: str, limits: PortalLimits,
          piece_sums: dict[str, str]) -> bytes:
    data = {
        "schema": INDEX_SCHEMA,
        "schema_version": INDEX_VERSION,
        "folder": folder,
        "max_files": limits.max_files,
        "max_size": limits.max_size,
        "parts": part_names,
        "contents": [
            {"part": name, "files": [
                {"path": s.member, "exhibit": s.file.label or None,
                 **({"piece_of": s.file.path} if s.pieces else {})} for s in segments]}
            for name, segments in zip(part_names, plan.parts, strict=True)
        ],
        "split_files": [
            {"path": f.path, "size": f.size, "sha256": f.sha256,
             "pieces": [{"name": s.member, "part": part_names[index], "offset": s.offset,
                         "size": s.length, "sha256": piece_sums[s.member]}
                        for index, s in plan.segments_of(f.path)]}
            for f in plan.split_files
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
