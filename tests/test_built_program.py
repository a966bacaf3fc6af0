"""The program people download (issue 19): build it with scripts/build_app.sh, then drive the
BUILT binary, not the source tree, as a person would: no venv on PATH, no PYTHONPATH, a HOME
of its own. Copied to a stick in portable mode (on FAT32 where one can be mounted), it keeps
its settings beside itself, changed in its window with real key presses, and writes nothing
into HOME, the XDG folders or TMPDIR. Helpers: tests/built_program_support.py.

The build takes a few minutes, once per test session (all tests here share it). To test a
build made earlier instead, set SAFEKEEP_BUILT_PROGRAM to its `safekeep` executable. Without
the build tools the tests skip, except under CI (CI=true), where they must run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.built_program_support import (
    PORTABLE_INI,
    ROOT,
    Profile,
    Stick,
    clean_env,
    differing_files,
    fat32_stick,
    files_under,
    portable_copy,
    read_from_image,
    run,
    screenshot,
    use_portably,
)
from tests.chats.outlook_msg_file import msg_file
from tests.pdf_files import receipt_pdf

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux build only"),
]
BUILD_TOOLS = ("python3", "objdump", "dpkg-deb", "sha256sum", "tar")
WORD_MODEL = "ch_PP-OCRv4_rec_infer.onnx"  # the second engine's (text_word_model.py)


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must build and test the program (install it in .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def program() -> Path:
    """The built `safekeep` executable (built once per session)."""
    given = os.environ.get("SAFEKEEP_BUILT_PROGRAM")
    if given:
        return Path(given).resolve()
    missing = [tool for tool in BUILD_TOOLS if shutil.which(tool) is None]
    if missing:
        _missing(f"the build needs {', '.join(missing)}")
    started = time.monotonic()
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "build_app.sh")], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    # Shown with -rA or on failure: the build's own summary and its time.
    print(*[line for line in proc.stdout.splitlines() if line.startswith("build_app:")],
          f"build took {time.monotonic() - started:.0f} s", sep="\n")
    return ROOT / "dist" / "safekeep" / "safekeep"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_the_built_program_keeps_a_case_reads_pictures_and_exports(
    program: Path, home: Path, tmp_path: Path
) -> None:
    env = clean_env(home)
    shots = [
        screenshot(tmp_path / "threat.png", ["Pay 500 pounds by Friday", "or everyone sees"]),
        screenshot(tmp_path / "contact.png", ["Send proof to jake.doe@example.com"]),
        screenshot(tmp_path / "blank.png", [""]),
        # A photo of the messages taken with an iPhone: the program must carry its decoder.
        Path(shutil.copy(ROOT / "tests" / "fixtures" / "heic" / "messages.heic", tmp_path)),
        # An e-mail dragged out of Outlook: the program must carry its reader (olefile).
        tmp_path / "Final warning.msg",
        # A money transfer receipt as a PDF: the program must carry PDFium (pypdfium2).
        tmp_path / "receipt.pdf",
    ]
    shots[-1].write_bytes(receipt_pdf())
    shots[-2].write_bytes(msg_file(subject="Final warning", body="Pay to payme.now@example.net",
                                   sender=("Support", "support.4471@example.com"),
                                   sent=datetime(2025, 3, 14, 9, 12, tzinfo=UTC)))
    assert "Safekeep" in run(program, "--version", env=env, cwd=tmp_path).stdout
    run(program, "new", "case.skcase", "--kdf-profile", "1", env=env, cwd=tmp_path)
    run(program, "add-evidence", "case.skcase", *map(str, shots), env=env, cwd=tmp_path)

    # Text recognition runs in worker processes, which the frozen program starts as itself.
    # strace shows each process it runs and each socket it opens, workers included.
    ocr = ["ocr", "case.skcase", "--json"]
    trace = tmp_path / "trace.txt"
    if shutil.which("strace"):
        proc = subprocess.run(
            ["strace", "-f", "-qq", "-v", "-s", "256", "-e",
             "trace=execve,socket,connect,openat,prctl,prlimit64,setrlimit",
             "-o", str(trace), str(program), *ocr],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0 and "ptrace" in proc.stderr:  # strace not permitted here
            proc = run(program, *ocr, env=env, cwd=tmp_path)
            trace.unlink(missing_ok=True)
    else:
        proc = run(program, *ocr, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = {(d["kind"], d["value"]) for d in json.loads(proc.stdout)["details"]}
    assert ("amount", "500 pounds") in found, found
    assert any(kind == "email" and "jake.doe@example.com" in value for kind, value in found)
    assert any(kind == "phone" and "7911 123456" in value for kind, value in found), found
    assert ("email", "payme.now@example.net") in found, found  # read from the .msg
    assert ("mtcn", "830-521-6473") in found, found  # read from the PDF
    if trace.exists():
        lines = trace.read_text().splitlines()
        # A call's start line holds its arguments (strace may show its end on a later line).
        runs = [line for line in lines if 'execve("' in line]
        workers = [line for line in runs if "--multiprocessing-fork" in line]
        assert workers, "no worker process was started"
        for line in runs:  # every process is the program itself: no Python from elsewhere
            assert re.search(r'execve\("' + re.escape(str(program)) + '"', line), line
        for line in workers:  # the passphrase stays out of the workers' environment
            assert "SAFEKEEP_PASSPHRASE" not in line, line
        # Workers load no Qt, as in the source install (packaging/safekeep_entry.py).
        worker_pids = {line.split()[0] for line in workers}
        qt = [line for line in lines if line.split()[0] in worker_pids and "libQt6" in line]
        assert qt == [], qt[:3]
        assert [line for line in lines if "AF_INET" in line] == []
        # Core dumps off and memory kept from other programs, in the program and its workers.
        for pid in {runs[0].split()[0], *worker_pids}:
            calls = [line for line in lines if line.split()[0] == pid]
            assert any("RLIMIT_CORE" in line and "rlim_cur=0" in line for line in calls), pid
            assert any(re.search(r"PR_SET_DUMPABLE, (0|SUID_DUMP_DISABLE)\b", line)
                       for line in calls), pid

    # A name in Arabic: the report joins and orders it (python-bidi, arabic-reshaper), so
    # the program must carry both.
    run(program, "add-identifier", "case.skcase", "name", "محمد عبد الله", env=env, cwd=tmp_path)
    run(program, "export", "case.skcase", "bundle.zip", env=env, cwd=tmp_path)
    verified = run(program, "verify", "bundle.zip", env=env, cwd=tmp_path).stdout
    assert "match" in verified, verified
    assert files_under(home) == [], "the command line wrote under HOME"


def test_the_built_program_reads_a_small_word_with_its_second_engine(
    program: Path, profile: Profile, tmp_path: Path
) -> None:
    """A mailbox's From line with letters 8 px tall: Tesseract alone reads the sender
    "realleoclarke@proton.me" as "callcoclarke@proton.me" (as the program did before it
    carried the second engine). PP-OCR's recognition model, carried at share/ppocr and run by
    ONNX Runtime in the program's OCR workers, reads the word right. Only that model comes
    along, not OpenCV nor the rest of its wheel; and ONNX Runtime leaves nothing in HOME,
    TMPDIR or the XDG folders (its versions from 1.21 write a session file to TMPDIR)."""
    internal = program.parent / "_internal"
    assert [p.name for p in (internal / "share" / "ppocr").iterdir()] == [WORD_MODEL]
    assert [name for name in ("cv2", "rapidocr_onnxruntime", "sympy")
            if (internal / name).exists()] == []
    env, cases = profile.env(), tmp_path / "cases"
    cases.mkdir()
    picture = ROOT / "tests" / "fixtures" / "ocr_shapes" / "webmail-downscaled-sender.png"
    run(program, "new", "case.skcase", "--kdf-profile", "1", env=env, cwd=cases)
    run(program, "add-evidence", "case.skcase", str(picture), env=env, cwd=cases)
    details = json.loads(run(program, "ocr", "case.skcase", "--json", env=env,
                             cwd=cases).stdout)["details"]
    emails = {d["normalised"] for d in details if d["kind"] == "email"}
    assert "realleoclarke@proton.me" in emails, emails
    assert "callcoclarke@proton.me" not in emails, emails
    assert profile.leftovers() == []


def start_window(program: Path, env: dict[str, str], cwd: Path) -> str:
    """The first window shows, the app's benchmark hook prints a line, and it quits."""
    proc = run(program, env={**env, "SAFEKEEP_BENCH_FIRST_SHOW": "1"}, cwd=cwd, timeout=120)
    assert "first-window-shown" in proc.stdout, (proc.stdout, proc.stderr)
    return proc.stdout


def test_the_built_program_shows_its_window_offscreen(
    program: Path, home: Path, tmp_path: Path
) -> None:
    start_window(program, clean_env(home, QT_QPA_PLATFORM="offscreen"), tmp_path)


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private X server (Xvfb), so the xcb platform plugin and its libraries are used."""
    if shutil.which("Xvfb") is None:
        _missing("Xvfb is not installed")
    # -displayfd: the server picks a free display and writes its number (the machine is
    # shared: a fixed number could be another session's server).
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp",
                               "-screen", "0", "1600x900x24"], pass_fds=(write_end,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        number = answer.readline().strip()  # empty if the server died first
    assert number.isdigit(), "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_built_program_shows_its_window_on_an_x_server(
    program: Path, home: Path, tmp_path: Path, x_display: str
) -> None:
    start_window(program, clean_env(home, DISPLAY=x_display, QT_QPA_PLATFORM="xcb"), tmp_path)
    assert files_under(home) == [], "the window wrote under HOME"


def test_the_downloads_install_as_described(program: Path) -> None:
    dist = program.parent.parent
    if not (dist / "SHA256SUMS").exists():
        pytest.skip("SAFEKEEP_BUILT_PROGRAM names a folder without the downloads")
    subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=dist, check=True)
    deb = next(dist.glob("safekeep_*_amd64.deb"))
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    for path in ("./opt/safekeep/safekeep", "./opt/safekeep/_internal/share/tessdata/eng."
                 "traineddata", f"./opt/safekeep/_internal/share/ppocr/{WORD_MODEL}",
                 "./usr/bin/safekeep -> /opt/safekeep/safekeep",
                 "./usr/share/applications/safekeep.desktop",
                 "./usr/share/icons/hicolor/256x256/apps/safekeep.png"):
        assert path in listing, path
    control = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    assert re.search(r"^Depends: libc6 \(>= 2\.\d+\)", control, re.MULTILINE), control
    tarball = next(dist.glob("safekeep-*-linux-x86_64.tar.gz"))
    names = subprocess.run(["tar", "-tzf", str(tarball)], capture_output=True, text=True,
                           check=True).stdout.split()
    assert "safekeep/safekeep" in names


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile.make(tmp_path / "profile")


def test_a_portable_copy_keeps_its_settings_beside_it_and_nothing_in_the_profile(
    program: Path, profile: Profile, tmp_path: Path, x_display: str
) -> None:
    if shutil.which("xdotool") is None:
        _missing("xdotool is not installed (it presses the keys in the window)")
    # FAT32 ignores case, refuses some characters in names and holds 255 of them at most.
    names = [p.relative_to(program.parent).as_posix() for p in program.parent.rglob("*")]
    assert len({n.lower() for n in names}) == len(names), "names that differ only by case"
    assert [n for n in names if set(n) & set('"*:<>?\\|')] == []
    assert max(len(part) for n in names for part in n.split("/")) <= 255
    stick, pictures = tmp_path / "stick", tmp_path / "pictures"
    stick.mkdir()
    pictures.mkdir()
    copy = portable_copy(program, stick)
    try:  # the case, the bundle and the settings all on the stick
        use_portably(copy, profile, stick, pictures, x_display)
    finally:
        shutil.rmtree(copy.parent)  # 380 MB: not kept among pytest's last three runs


@pytest.fixture
def fat32(tmp_path: Path) -> Iterator[Stick]:
    """A FAT32 file system on a loop file, as on a USB stick."""
    for tool, package in (("mkfs.vfat", "dosfstools"), ("fsck.vfat", "dosfstools"),
                          ("mtype", "mtools"), ("xdotool", "xdotool")):
        if shutil.which(tool) is None:
            _missing(f"the FAT32 test needs {tool} ({package})")
    image, mount_point = tmp_path / "stick.img", Path(tempfile.mkdtemp(prefix="stick-"))
    stick = fat32_stick(image, mount_point)
    if isinstance(stick, str):
        mount_point.rmdir()
        if os.path.exists("/dev/fuse") and shutil.which("fusefat") is None:
            _missing(f"fusefat is not installed, and {stick}")
        pytest.skip(f"no FAT32 file system can be mounted here: {stick}")
    try:
        yield stick
    finally:
        stick.unmount()
        mount_point.rmdir()
        image.unlink()  # up to 700 MB


def test_a_portable_folder_on_fat32_keeps_its_settings_there_and_nothing_in_the_profile(
    program: Path, profile: Profile, tmp_path: Path, fat32: Stick, x_display: str
) -> None:
    print(f"FAT32 mounted by {fat32.driver}")  # shown with -rA
    copy = portable_copy(program, fat32.root)
    # Every byte arrived (read back through the FAT32 driver, one file at a time).
    assert differing_files(program.parent, copy.parent) == []
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    # A case needs a file system that can shorten a file (SQLite does): fusefat cannot, so
    # there the case is kept off the stick; the program and its settings are on it.
    cases = fat32.root if fat32.driver == "kernel" else tmp_path / "cases"
    cases.mkdir(exist_ok=True)
    use_portably(copy, profile, cases, pictures, x_display)
    fat32.unmount()
    checked = subprocess.run(["fsck.vfat", "-n", str(fat32.image)], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Read from the image itself, with no mount in between: the setting is on the FAT32.
    assert "auto_lock_minutes=6" in read_from_image(fat32.image, f"/Safekeep/{PORTABLE_INI}")
