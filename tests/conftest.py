"""Shared fixtures. Every test uses real SQLCipher files on disk in a temporary folder.

Cases here use KDF profile 1 (64 MiB Argon2id, the project's floor): a real profile, just the
lighter one, so hundreds of open/close cycles keep the suite fast.
"""

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlcipher3

# Qt's offscreen platform, on a 1600x900 screen: room for every window at its preferred size,
# as on a common laptop. Windows fit themselves to the screen (app/ui/screen_fit.py); smaller
# screens and scalings are tried in tests/ui/test_screen_fit.py, in child processes.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen:configfile="
                      + str(Path(__file__).with_name("offscreen-1600x900.json")))

from app.models.casefile import CaseFile

PASSPHRASE = "correct horse 'battery'; staple — ünïcödé 🔑"
TEST_KDF_PROFILE = 1


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    return tmp_path / "case.skcase"


@pytest.fixture
def make_case(tmp_path: Path) -> Iterator[Callable[..., CaseFile]]:
    opened: list[CaseFile] = []

    def factory(
        name: str = "case", *, under_18: bool = False, display_name: str = "Test case"
    ) -> CaseFile:
        case = CaseFile.create(
            tmp_path / f"{name}.skcase",
            PASSPHRASE,
            display_name=display_name,
            under_18=under_18,
            actor="tester",
            kdf_profile=TEST_KDF_PROFILE,
        )
        opened.append(case)
        return case

    yield factory
    for case in opened:
        case.close()


@pytest.fixture
def case(make_case: Callable[..., CaseFile]) -> CaseFile:
    return make_case()


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    input_text: str | None = None,
    cwd: Path | None = None,
) -> "CliResult":
    """Run `python -m app ...` in a child process, as a person would from a shell."""
    import subprocess

    full_env = {**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input_text,
        cwd=cwd,
        timeout=120,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[-500:]!r}, err={self.err[-500:]!r})"


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli


@pytest.fixture
def in_london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's clock in the UK (British Summer Time from the last Sunday of March to
    the last Sunday of October), for this test only."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests with a Qt application run as the app does: the cyclic garbage collector only on
    the GUI thread (app/ui/kit/collector.py), never in a worker thread, where collecting a Qt
    wrapper crashed the interpreter. Other tests keep Python's usual collection."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("qapp")
    from app.ui.kit.collector import GuiThreadCollector

    collector = GuiThreadCollector()
    collector.start()
    try:
        yield
    finally:
        collector.stop()
        collector.deleteLater()


def raw_connection(path: Path, passphrase: str = PASSPHRASE) -> sqlcipher3.Connection:
    """A bare SQLCipher connection to a case, keyed as Safekeep keys it: what someone holding
    the passphrase and a SQL tool would use to change a case behind Safekeep's back."""
    from app.models import kdf

    salt = path.read_bytes()[:16]
    profile = kdf.profile_for_salt(salt)
    assert profile is not None
    key = kdf.sqlcipher_raw_key(kdf.derive_key(passphrase, salt, profile), salt)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f'PRAGMA key = "{key}"')
    return conn


@contextlib.contextmanager
def small_disk_at(where: Path, size: str | int) -> Iterator[Path]:
    """A real, tiny file system (tmpfs) mounted at `where`, so "disk full" is the kernel's
    ENOSPC, not a mock. Root only: the test is skipped elsewhere."""
    where.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot make a small file system to fill")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({result.stderr.strip() or 'not root'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """`small_disk(size)`: a real small file system of `size` bytes (see `small_disk_at`)."""
    numbers = itertools.count()
    with contextlib.ExitStack() as mounted:
        yield lambda size: mounted.enter_context(
            small_disk_at(tmp_path / f"disk-{next(numbers)}", size))


def room_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the room on the case's disk unknown to Safekeep, as where a disk will not say, so
    that a write goes ahead and meets the full disk itself (app/models/disk_room.py)."""
    for where in ("app.models.disk_room.disk_room", "app.core.intake.group.disk_room"):
        monkeypatch.setattr(where, lambda *_args, **_kwargs: None)


@pytest.fixture
def tiny_disk(small_disk: Callable[[int], Path]) -> Path:
    """A real 1 MiB file system (see `small_disk_at`)."""
    return small_disk(1 << 20)


class Drive:
    """A mounted drive that can be pulled out and put back (tests/pullable_drive.py)."""

    def __init__(self, root: Path, flag: Path) -> None:
        self.root = root  # where the drive is mounted: cases go here
        self._flag = flag

    def pull(self) -> None:
        self._flag.touch()

    def put_back(self) -> None:
        self._flag.unlink(missing_ok=True)


@pytest.fixture
def pullable_drive(tmp_path: Path) -> Iterator[Drive]:
    """A real FUSE mount over a folder, whose every call fails with EIO once pulled (as a USB
    stick's does). Skipped where FUSE cannot be mounted (no /dev/fuse, no libfuse, no right)."""
    if not os.path.exists("/dev/fuse") or shutil.which("fusermount") is None:
        pytest.skip("no FUSE here (/dev/fuse and fusermount): cannot make a drive to pull out")
    folder, root, flag = tmp_path / "drive-content", tmp_path / "drive", tmp_path / "pulled"
    folder.mkdir()
    root.mkdir()
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("pullable_drive.py")),
                               str(folder), str(root), str(flag)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):  # up to 10 s
        if os.path.ismount(root) or server.poll() is not None:
            break
        time.sleep(0.05)
    if not os.path.ismount(root):
        server.kill()
        why = server.communicate()[1].decode(errors="replace").strip().splitlines()
        pytest.skip(f"cannot mount a FUSE drive here: {why[-1] if why else 'no reason given'}")
    try:
        yield Drive(root, flag)
    finally:
        flag.unlink(missing_ok=True)
        subprocess.run(["fusermount", "-u", "-z", str(root)], check=False, capture_output=True)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
