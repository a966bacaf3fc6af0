"""Helpers for the hostile-bundle tests (no tests here): a genuine demo bundle, re-zipped with
entries added, replaced, dropped or compressed another way, and with SHA256SUMS (and, where
asked, manifest.json) rewritten to match, as a forger would; and `verify` run in a child
process whose memory is capped, its output measured.
"""

import hashlib
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from app.export import export_bundle
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.test_export_support import add_evidence_direct, build_demo_case

ACCENTED = "Re\u00e7u Cr\u00e9dit.pdf"


def make_bundle(folder: Path) -> Path:
    with CaseFile.create(folder / "case.skcase", PASSPHRASE, display_name="Alex",
                         actor="tester", kdf_profile=TEST_KDF_PROFILE) as case:
        build_demo_case(case)
        # A name with an accent, written in NFC as Safekeep writes every name.
        add_evidence_direct(case, b"%PDF-1.4\n% receipt\n", ACCENTED, kind="document",
                            detected_type="application/pdf", thumbnail=False)
        return export_bundle(case, folder / "bundle.zip").path


@dataclass
class Extra:
    """An entry a forger adds after the genuine ones (so unzip writes it last)."""

    name: str  # the whole name in the ZIP
    data: bytes
    compress_type: int = zipfile.ZIP_DEFLATED
    external_attr: int = 0o644 << 16
    listed: bool = True  # in SHA256SUMS and manifest.json's files, with its true SHA-256


@dataclass
class Forgery:
    extras: list[Extra] = field(default_factory=list)
    replace: dict[str, bytes] = field(default_factory=dict)  # path inside the folder -> data
    drop: tuple[str, ...] = ()  # paths inside the folder, left out of the ZIP
    unlist: tuple[str, ...] = ()  # paths left out of manifest.json's files
    methods: dict[str, int] = field(default_factory=dict)  # path -> compress_type
    resum: bool = True  # rewrite SHA256SUMS to match whatever is in the ZIP


def folder_of(bundle: Path) -> str:
    with zipfile.ZipFile(bundle) as zf:
        [folder] = {n.split("/", 1)[0] for n in zf.namelist()}
    return folder


def read_member(bundle: Path, path: str) -> bytes:
    with zipfile.ZipFile(bundle) as zf:
        return zf.read(f"{folder_of(bundle)}/{path}")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest_with(manifest: bytes, listed: list[tuple[str, bytes]], dropped: tuple[str, ...]
                   ) -> bytes:
    """manifest.json with `listed` added to its files (one line each, as the exporter writes
    them) and `dropped` left out of its files."""
    out: list[str] = []
    for line in manifest.decode("utf-8").split("\n"):
        if any(f'"path": "{d}"' in line for d in dropped):
            continue
        out.append(line)
        if line == '  "files": [':
            out += [f"    {json.dumps({'path': p, 'sha256': _sha(d), 'size': len(d)})},"
                    for p, d in listed]
    return "\n".join(out).encode("utf-8")


def forge(src: Path, dst: Path, forgery: Forgery) -> Path:
    root = folder_of(src) + "/"
    with zipfile.ZipFile(src) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    kept: list[tuple[zipfile.ZipInfo, bytes]] = []
    for info, data in members:
        path = info.filename[len(root):]
        if path in forgery.drop:
            continue
        data = forgery.replace.get(path, data)
        if path in forgery.methods:
            info.compress_type = forgery.methods[path]
        kept.append((info, data))
    listed = [(e.name[len(root):] if e.name.startswith(root) else e.name, e.data)
              for e in forgery.extras if e.listed]
    if listed or forgery.unlist:
        kept = [(i, _manifest_with(d, listed, forgery.unlist)
                 if i.filename == root + "manifest.json" and "manifest.json" not in
                 forgery.replace else d) for i, d in kept]
    if forgery.resum:
        sums = sorted([(i.filename[len(root):], _sha(d)) for i, d in kept
                       if i.filename != root + "SHA256SUMS"] + [(p, _sha(d)) for p, d in listed])
        text = "".join(f"{h}  {p}\n" for p, h in sums).encode()
        kept = [(i, text if i.filename == root + "SHA256SUMS" else d) for i, d in kept]
    with zipfile.ZipFile(dst, "w") as new:
        for info, data in kept:
            new.writestr(info, data)
        for extra in forgery.extras:
            info = zipfile.ZipInfo(extra.name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = extra.compress_type
            info.external_attr = extra.external_attr
            info.create_system = 3
            with new.open(info, "w") as stream:  # also a folder entry, with its data
                stream.write(extra.data)
    return dst


@dataclass
class Run:
    code: int
    out: str
    err: str
    peak_kb: int  # the child's peak resident memory (VmHWM: ru_maxrss survives exec)

    def __repr__(self) -> str:
        return (f"Run(code={self.code}, peak_kb={self.peak_kb}, out={self.out[-400:]!r}, "
                f"err={self.err[:800]!r}, err_len={len(self.err)})")


_CHILD = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from app.__main__ import main
code = main(["verify", *sys.argv[2:]])
sys.stdout.flush()
status = open("/proc/self/status").read()
sys.stderr.write("PEAK_KB %s\\n" % status.split("VmHWM:")[1].split()[0])
sys.exit(code)
"""


def run_verify_capped(*args: str, memory: int = 1 << 30, timeout: float = 120) -> Run:
    """`safekeep verify ARGS` in a child whose address space is capped at `memory` bytes (a
    MemoryError there ends in exit 5, "Something unexpected"); its peak resident memory."""
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(memory), *args],
                          capture_output=True, timeout=timeout)
    err = proc.stderr.decode("utf-8", "replace")
    peak = 0
    if "PEAK_KB " in err:
        err, _sep, tail = err.rpartition("PEAK_KB ")
        peak = int(tail.split()[0])
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), err, peak)
