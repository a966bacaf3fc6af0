"""SHA256SUMS and manifest.json, read for `verify` in bounded memory.

SHA256SUMS is read a line at a time. manifest.json up to 8 MB (a case of some 8,000 items) is
parsed whole; a larger one is read a line at a time in the layout the exporter writes
(app/export/manifest.py: objects indented by two spaces, each entry of a list on one line), each
line parsed alone. Either way only what verify needs is kept (each listed file's SHA-256, each
original's name and hash at acquisition), and no more entries than the ZIP holds files: a
manifest built to list a million files stops being read at the first one too many.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.export.formatting import one_line
from app.export.manifest import MANIFEST_NAME, MANIFEST_SCHEMA, MANIFEST_VERSION, SUMS_NAME
from app.export.verify_read import (
    LineTooLong,
    Malformed,
    Member,
    Problems,
    Unreadable,
    bounded_json,
    lines,
    read_small,
)
from app.i18n import tr

_SUMS_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_LONGEST_SUMS_LINE = 4096
_MOST_BAD_LINES = 100
WHOLE_MANIFEST = 8 << 20  # bytes: parsed whole up to this, a line at a time beyond
_LONGEST_LINE = 8 << 20
_MOST_OBJECTS = 1_000_000  # brackets and strings in what is parsed at once
_MOST_ITEMS = 1_000_000  # evidence items (withheld ones are not in the ZIP)
_ROOM = 16  # entries beyond the ZIP's file count before a list is "too long"
_DECODER = json.JSONDecoder()


def read_sums(member: Member, present: set[str], problems: Problems) -> dict[str, str]:
    """{path: lower-case hex} of SHA256SUMS; unreadable lines are problems."""
    sums: dict[str, str] = {}
    bad = 0
    try:
        for raw in lines(member, _LONGEST_SUMS_LINE):
            if not raw.strip():
                continue
            text = raw.decode("utf-8", "replace")
            match = _SUMS_LINE.fullmatch(text.rstrip("\r"))
            if match is None or match.group(2) in sums:  # unreadable, or the same file twice
                bad += 1
                problems.append(tr("{name}: a line cannot be read: {line}").format(
                    name=SUMS_NAME, line=one_line(text, 120)))
                if bad >= _MOST_BAD_LINES:
                    problems.append(tr("{name}: too many lines cannot be read; the rest of it "
                                       "was not read.").format(name=SUMS_NAME))
                    break
                continue
            sums[match.group(2)] = match.group(1).lower()
            if len(sums) > len(present) + _ROOM:
                problems.append(tr("{name} lists more files than the bundle holds; the rest "
                                   "of it was not read.").format(name=SUMS_NAME))
                break
    except LineTooLong:
        problems.append(tr("{name}: a line is far longer than Safekeep writes.").format(
            name=SUMS_NAME))
    except Unreadable:
        problems.append(tr("{name} is damaged.").format(name=SUMS_NAME))
    return sums


@dataclass
class Manifest:
    version: int = 0
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 (those in the ZIP)
    evidence: dict[str, str] = field(default_factory=dict)  # path -> sha256 when added


class _TooMany(Exception):
    pass


class _Collector:
    """Keeps what verify needs from the manifest's top-level values and list entries."""

    def __init__(self, present: set[str], problems: Problems) -> None:
        self.present = present
        self.problems = problems
        self.found = Manifest()
        self.schema: object = None
        self.listed = 0
        self.refs: set[str] = set()

    def top(self, key: str, value: Any) -> None:
        if key == "schema":
            self.schema = value
        elif key == "schema_version":
            self.found.version = value if type(value) is int else -1

    def entry(self, key: str, value: Any) -> None:
        if key == "files":
            self._file(value)
        elif key == "evidence":
            self._item(value)

    def _file(self, f: Any) -> None:
        if not isinstance(f, dict) or not isinstance(f.get("path"), str) or \
                not isinstance(f.get("sha256"), str) or not _HEX64.fullmatch(f["sha256"]):
            raise Malformed("a file entry")
        self.listed += 1
        if self.listed > len(self.present) + _ROOM:
            raise _TooMany()
        if f["path"] in self.present:
            self.found.files[f["path"]] = f["sha256"]
        else:
            self.problems.append(tr("{name}: listed in {manifest} but missing from the "
                                    "bundle.").format(name=one_line(f["path"]),
                                                      manifest=MANIFEST_NAME))

    def _item(self, item: Any) -> None:
        """The exporter's naming rule: each original is `evidence/AB-3_<first 8 hex>_...`,
        from its exhibit reference ("number" before exhibit references) and hash; no two
        items share a reference; an item not withheld names its file, which is there."""
        if not isinstance(item, dict):
            raise Malformed("an evidence entry")
        ref, file, sha = item.get("exhibit") or item.get("number"), item.get("file"), \
            item.get("sha256")
        if not isinstance(ref, str | int) or not isinstance(sha, str) or \
                not _HEX64.fullmatch(sha) or not isinstance(file, str | None):
            raise Malformed("an evidence entry")
        ref = str(ref)
        if ref in self.refs:
            self.problems.append(tr("{manifest}: exhibit {ref} is listed twice.").format(
                manifest=MANIFEST_NAME, ref=one_line(ref)))
        elif len(self.refs) >= _MOST_ITEMS:
            raise _TooMany()
        self.refs.add(ref)
        if file is None:
            if item.get("withheld") is False:
                self.problems.append(tr("{manifest}: exhibit {ref} is not withheld, yet no file "
                                        "is named for it.").format(manifest=MANIFEST_NAME,
                                                                    ref=one_line(ref)))
            return
        prefix = f"evidence/{ref.replace('/', '-')}_{sha[:8]}_"
        if not file.startswith(prefix):
            self.problems.append(tr("{name}: the name does not start with its exhibit reference "
                                    "and hash ({prefix}), as Safekeep names every original."
                                    ).format(name=one_line(file), prefix=one_line(prefix)))
        if file in self.present:
            self.found.evidence[file] = sha
        else:
            self.problems.append(tr("{name}: exhibit {ref} in {manifest}, but missing from the "
                                    "bundle.").format(name=one_line(file), ref=one_line(ref),
                                                      manifest=MANIFEST_NAME))

    def finish(self) -> Manifest:
        if self.schema != MANIFEST_SCHEMA or not 1 <= self.found.version <= MANIFEST_VERSION:
            raise Malformed("not a Safekeep manifest")
        return self.found


def read_manifest(member: Member, present: set[str], problems: Problems) -> Manifest | None:
    """What the manifest records, or None (a problem says why) when it cannot be read. Its
    problems are counted in `problems` as they are found."""
    collector = _Collector(present, problems)
    try:
        if member.size <= WHOLE_MANIFEST:
            _walk_document(bounded_json(read_small(member, WHOLE_MANIFEST), WHOLE_MANIFEST,
                                        _MOST_OBJECTS), collector)
        else:
            _walk_lines(lines(member, _LONGEST_LINE), collector)
        return collector.finish()
    except _TooMany:
        problems.append(tr("{name} lists more files or items than the bundle can hold; the "
                           "rest of it was not read.").format(name=MANIFEST_NAME))
    except (Malformed, LineTooLong, Unreadable, UnicodeDecodeError):
        problems.append(tr("{name} is damaged or is not a Safekeep manifest.").format(
            name=MANIFEST_NAME))
    return None


def _walk_document(data: Any, collector: _Collector) -> None:
    if not isinstance(data, dict):
        raise Malformed("not an object")
    for key, value in data.items():
        if key in ("files", "evidence"):
            if not isinstance(value, list):
                raise Malformed("not a list")
            for entry in value:
                collector.entry(key, entry)
        else:
            collector.top(key, value)


def _walk_lines(source: Iterator[bytes], collector: _Collector) -> None:
    """The exporter's layout, a line at a time: `{`, then `"key": value` lines indented two
    spaces a level, a value of `{` or `[` opening an object or a list of one-line entries,
    closed by `}` or `]` at the key's indent; commas between elements, none after the last."""
    if next(source, None) != b"{":
        raise Malformed("first line")
    kinds: list[tuple[bytes, str | None]] = [(b"}", None)]  # closing bracket, top-level key
    states = ["empty"]  # per open container: empty, more (a comma came) or done
    seen: set[str] = set()
    for raw in source:
        if not kinds:
            if raw != b"":
                raise Malformed("after the end")
            continue
        indent = b"  " * len(kinds)
        if raw in (indent[2:] + kinds[-1][0], indent[2:] + kinds[-1][0] + b","):
            if states[-1] != "done":
                raise Malformed("a comma before the end")
            kinds.pop()
            states.pop()
            if states:
                states[-1] = "more" if raw.endswith(b",") else "done"
            continue
        if not raw.startswith(indent) or raw[len(indent):len(indent) + 1] in (b" ", b"") or \
                states[-1] == "done":
            raise Malformed("indent or comma")
        comma = raw.endswith(b",")
        body = raw[len(indent):len(raw) - comma].decode("utf-8")
        key = kinds[-1][1]
        if kinds[-1][0] == b"]":
            value = bounded_json(body, _LONGEST_LINE, _MOST_OBJECTS)
            if len(kinds) == 2 and key is not None:
                collector.entry(key, value)
            states[-1] = "more" if comma else "done"
            continue
        name, value_text = _key(body)
        if len(kinds) == 1:
            if name in seen:
                raise Malformed("a key twice")
            seen.add(name)
        if value_text in ("{", "["):
            if comma:
                raise Malformed("a comma after a bracket")
            kinds.append((b"}" if value_text == "{" else b"]", name if len(kinds) == 1 else None))
            states.append("empty")
            continue
        value = bounded_json(value_text, _LONGEST_LINE, _MOST_OBJECTS)
        if len(kinds) == 1:
            collector.top(name, value)
        states[-1] = "more" if comma else "done"
    if kinds:
        raise Malformed("the end is missing")


def _key(body: str) -> tuple[str, str]:
    if not body.startswith('"'):
        raise Malformed("a key")
    try:
        name, end = _DECODER.raw_decode(body)
    except ValueError:
        raise Malformed("a key") from None
    if not isinstance(name, str) or body[end:end + 2] != ": ":
        raise Malformed("a key")
    return name, body[end + 2:]
