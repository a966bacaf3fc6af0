"""A crash, a kill or a power cut loses at most the action in flight; the file always reopens.

A child process imports a folder of screenshots (and one large file) into a case and prints
each item the moment its transaction has committed. We SIGKILL it at random moments, again
and again, and after every kill check: the case opens; SQLCipher's HMACs and SQLite's b-trees
are whole; the audit chain verifies; every item reported as added is there with its hash; and
nothing is half-stored (every stored item's content matches its hash and size).
"""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from app.core.records.check import check_case
from app.errors import WrongPassphrase
from app.models import AuditEvent, EvidenceItem, Identifier
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE

KILLS = 20
# The children run this tree's code, whatever `app` the interpreter would otherwise find (a
# script's own folder comes first on its path, not the working directory).
ROOT = Path(__file__).resolve().parent.parent
CHILD_ENV = {**os.environ,
             "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                         os.environ.get("PYTHONPATH")]))}

IMPORT_CHILD = textwrap.dedent("""
    import sys
    from app.models.casefile import CaseFile
    from app.core.intake.ingest import import_paths

    def report(outcome):
        if outcome.status == "added":
            print(outcome.sha256, flush=True)

    if __name__ == "__main__":
        case_path, folder, passphrase = sys.argv[1:4]
        case = CaseFile.open(case_path, passphrase, actor="child")
        print("ready", flush=True)
        import_paths(case, [folder], on_outcome=report)
        case.close()
        print("done", flush=True)
""")


def _kill_at_random(child: Path, args: list[str], rng: random.Random, within: float) -> str:
    """Start the child, wait until it is working, SIGKILL it at a random moment within
    `within` seconds, and return what it printed before it died.

    The kill takes the child's preview workers with it (its own process group): they never
    touch the case, and left alive they would hold the output pipe open for seconds."""
    proc = subprocess.Popen(
        [sys.executable, str(child), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=CHILD_ENV,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first == "ready", (first, proc.communicate(timeout=60))
    time.sleep(rng.uniform(0.0, within))  # not a wait: the random moment of the kill under test
    os.killpg(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return out


def _seconds_of_work(child: Path, args: list[str]) -> float:
    """How long the child works once it says it is ready, run to its end: kills are timed
    within that, so they land while it works on a quick machine as on a slow one."""
    proc = subprocess.Popen([sys.executable, str(child), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=CHILD_ENV)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first == "ready", (first, proc.communicate(timeout=60))
    started = time.monotonic()
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return time.monotonic() - started


def _add_work(folder: Path, rng: random.Random, run: int, shots: int = 8) -> None:
    """New files for the next run, so every kill can land while something is being stored:
    a case that already holds everything would only meet "already there" and finish early."""
    folder.mkdir(exist_ok=True)
    for i in range(shots):
        image = Image.new("RGB", (480, 270), (rng.randrange(256), 240, 240))
        draw = ImageDraw.Draw(image)
        draw.text((10, 10), f"run {run} message {i} {rng.random()}", fill=(0, 0, 0))
        image.save(folder / f"shot-{run:02d}-{i:02d}.png")
    if run % 3 == 0:  # a big file is streamed in one long transaction: kills land inside it too
        big = b"\x00\x00\x00\x18ftypmp42" + rng.randbytes(6 << 20)
        (folder / f"zz-recording-{run:02d}.mp4").write_bytes(big)


def _verify_after_kill(case_path: Path, reported: set[str]) -> int:
    with CaseFile.open(case_path, PASSPHRASE, actor="checker", record_open=False) as case:
        report = check_case(case)
        assert report.ok, report.problems
        with case.read() as session:
            stored = set(session.scalars(select(EvidenceItem.sha256)))
    assert reported <= stored, "an item reported as added is missing"
    assert not any(sha.startswith("pending:") for sha in stored), "a half-stored item is visible"
    return len(stored)


@pytest.mark.slow
def test_import_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    folder = tmp_path / "shots"
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="crash", actor="t", kdf_profile=1).close()
    child = tmp_path / "child.py"
    child.write_text(IMPORT_CHILD, encoding="utf-8")
    reported: set[str] = set()
    completed_runs = 0
    for run in range(KILLS):
        _add_work(folder, rng, run)
        out = _kill_at_random(child, [str(case_path), str(folder), PASSPHRASE], rng, 0.8)
        lines = out.split()
        completed_runs += "done" in lines
        reported.update(line for line in lines if len(line) == 64)
        _verify_after_kill(case_path, reported)
    # Enough runs must really have been cut short mid-work, not have finished before the kill.
    assert KILLS - completed_runs >= KILLS // 4, completed_runs
    # And a final uninterrupted run completes the job without duplicates.
    subprocess.run(
        [sys.executable, str(child), str(case_path), str(folder), PASSPHRASE],
        check=True,
        capture_output=True,
        timeout=300,
        env=CHILD_ENV,
    )
    assert _verify_after_kill(case_path, reported) == len(list(folder.iterdir()))


PASSWD_CHILD = textwrap.dedent("""
    import sys
    from app.models.casefile import CaseFile

    if __name__ == "__main__":
        case_path, old, new = sys.argv[1:4]
        case = CaseFile.open(case_path, old, actor="child", record_open=False)
        print("ready", flush=True)
        case.change_passphrase(new, kdf_profile=1)
        print("changed", flush=True)
        case.close()
""")


@pytest.mark.slow
def test_passphrase_change_survives_sigkill(tmp_path: Path) -> None:
    rng = random.Random(7)
    case_path = tmp_path / "case.skcase"
    with CaseFile.create(case_path, "first", display_name="x", actor="t", kdf_profile=1) as case:
        with case.write() as s:
            s.add_all(
                Identifier(type="other", value=f"value {i}", normalised=str(i)) for i in range(200)
            )
    child = tmp_path / "child.py"
    child.write_text(PASSWD_CHILD, encoding="utf-8")
    passphrases = ["first", "second"]
    current = "first"
    for _ in range(KILLS):
        other = passphrases[1 - passphrases.index(current)]
        out = _kill_at_random(child, [str(case_path), current, other], rng, 0.4)
        # Exactly one of the two passphrases opens the case, and nothing is lost.
        opened = []
        for candidate in passphrases:
            try:
                with CaseFile.open(
                    case_path, candidate, actor="checker", record_open=False
                ) as case:
                    with case.read() as s:
                        assert s.query(Identifier).count() == 200
                    assert check_case(case).ok
                opened.append(candidate)
            except WrongPassphrase:
                pass
        assert len(opened) == 1, opened
        if "changed" in out:
            assert opened == [other]
        current = opened[0]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".case.skcase")]
    with CaseFile.open(case_path, current, actor="t") as case:
        case.change_passphrase("third", kdf_profile=1)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".case.skcase.rekey")], leftovers


def test_two_processes_cannot_write_the_same_case(tmp_path: Path) -> None:
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from app.models.casefile import CaseFile
            case = CaseFile.open({str(case_path)!r}, {PASSPHRASE!r}, actor="a")
            print("open", flush=True)
            sys.stdin.readline()
            case.close()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "open"
    second = subprocess.run(
        [sys.executable, "-m", "app", "info", str(case_path)],
        env={**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE},
        capture_output=True,
        text=True,
        timeout=60,
    )
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait(timeout=30)
    assert second.returncode == 5 and "open in another" in second.stderr
    with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
        assert check_case(case).ok


EXPORT_CHILD = textwrap.dedent("""
    import sys
    from app.models.casefile import CaseFile
    from app.export import export_bundle

    if __name__ == "__main__":
        case_path, out, passphrase = sys.argv[1:4]
        case = CaseFile.open(case_path, passphrase, actor="child", record_open=False)
        print("ready", flush=True)
        export_bundle(case, out, overwrite=True)
        print("exported", flush=True)
        case.close()
""")


@pytest.mark.slow
def test_export_never_leaves_a_half_bundle_under_the_final_name(tmp_path: Path) -> None:
    from app.core.intake.ingest import import_paths
    from app.export import verify_bundle

    rng = random.Random(11)
    folder = tmp_path / "shots"
    for run in range(4):
        _add_work(folder, rng, run)
    case_path = tmp_path / "case.skcase"
    with CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1) as case:
        import_paths(case, [folder])
    child = tmp_path / "child.py"
    child.write_text(EXPORT_CHILD, encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "bundle.zip"
    args = [str(case_path), str(target), PASSPHRASE]
    # Within the time a whole export takes here (it was a fixed 1.5 s, which a quick machine
    # outran: every export finished before its kill).
    within = 0.9 * _seconds_of_work(child, args)
    finished = 0
    for _ in range(KILLS):
        if target.exists():
            target.unlink()
        out = _kill_at_random(child, args, rng, within)
        assert target.exists() or "exported" not in out
        if target.exists():  # only ever a whole bundle under the final name
            finished += 1
            assert verify_bundle(target).ok
        with CaseFile.open(case_path, PASSPHRASE, actor="checker", record_open=False) as case:
            assert check_case(case).ok
    assert finished < KILLS, "every export finished before the kill: the test proved nothing"


# As the window imports: its preview pool is started and warm before anything is added (a
# cold pool would hold every file behind the first picture for its start-up, in every run).
SMALL_FILES_CHILD = textwrap.dedent("""
    import sys
    from app.core.intake import import_paths
    from app.core.pictures import PreviewPool
    from app.models.casefile import CaseFile

    def report(outcome):
        if outcome.status == "added":
            print(outcome.sha256, flush=True)

    if __name__ == "__main__":
        case_path, folder, passphrase = sys.argv[1:4]
        case = CaseFile.open(case_path, passphrase, actor="child")
        with PreviewPool() as pool:
            pool.submit(open(sys.argv[4], "rb").read()).result()
            print("ready", flush=True)
            import_paths(case, [folder], pool=pool, on_outcome=report)
        case.close()
        print("done", flush=True)
""")


def _kill_while_busy(child: Path, args: list[str], rng: random.Random, reports: int) -> str:
    """Like `_kill_at_random`, but the moment is picked once the child is adding items: after
    a random number of reports (below `reports`), then a random part of a group's time. A
    kill while the child is still starting would prove nothing about group commits."""
    proc = subprocess.Popen([sys.executable, str(child), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=CHILD_ENV)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    heard = []
    for _ in range(rng.randrange(1, reports)):
        line = proc.stdout.readline()
        heard.append(line)
        if not line or line.strip() == "done":
            break
    # Not a wait: the random moment of the kill under test, within one group's time (150 ms).
    # Up to 0.3 s let a quick machine finish the rest of the work first (seen in the suite).
    time.sleep(rng.uniform(0.0, 0.15))
    os.killpg(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return "".join(heard) + out


def _small_files(folder: Path, rng: random.Random, run: int, count: int) -> None:
    """Small documents with a small picture every tenth file: what group commits are for."""
    folder.mkdir(parents=True)
    for i in range(count):
        if i % 10 == 9:
            image = Image.new("RGB", (48, 48), (rng.randrange(256), run, i % 256))
            image.save(folder / f"{i:05d}.png")
        else:
            (folder / f"{i:05d}.txt").write_text(f"run {run} note {i} {rng.random()}\n",
                                                 encoding="utf-8")


@pytest.mark.slow
def test_small_files_reported_as_added_survive_sigkill(tmp_path: Path) -> None:
    """Small files go in a group at a time (one commit per 150 ms). Whatever moment the kill
    lands, every item the child heard reported as added is in the reopened case with its hash
    and the case checks whole; the exhibit numbers have no gap (a lost group gives its numbers
    back); every item has exactly one evidence.add event. Then one run without a kill adds
    exactly what was left. (Announcing an item before its group committed fails this.)"""
    rng = random.Random(18)
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="small", actor="t", kdf_profile=1).close()
    child = tmp_path / "child.py"
    child.write_text(SMALL_FILES_CHILD, encoding="utf-8")
    warm_up = tmp_path / "warm-up.png"
    Image.new("RGB", (8, 8)).save(warm_up)
    files, runs = 1_200, 4
    reported: set[str] = set()
    cut_short = 0
    for run in range(runs):
        folder = tmp_path / "files" / f"run-{run}"
        _small_files(folder, rng, run, files)
        out = _kill_while_busy(child, [str(case_path), str(folder), PASSPHRASE, str(warm_up)],
                               rng, files // 2)
        lines = out.split()
        cut_short += "done" not in lines
        reported |= {line for line in lines if len(line) == 64}
        _verify_small_files(case_path, reported)
    assert cut_short >= runs - 1, "the kills landed after the work: the test proved nothing"
    assert len(reported) >= runs * 100, "little was reported before the kills: it proved nothing"
    out = _kill_while_busy(child, [str(case_path), str(tmp_path / "files"), PASSPHRASE,
                                   str(warm_up)], rng, 10 * files * runs)  # to the end
    assert "done" in out.split()
    assert _verify_small_files(case_path, reported) == files * runs


def _verify_small_files(case_path: Path, reported: set[str]) -> int:
    stored = _verify_after_kill(case_path, reported)
    with CaseFile.open(case_path, PASSPHRASE, actor="checker", record_open=False) as case:
        with case.read() as session:
            numbers = list(session.scalars(
                select(EvidenceItem.exhibit_number).order_by(EvidenceItem.id)))
            adds = session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "evidence.add"))
    assert numbers == list(range(1, stored + 1))
    assert adds == stored
    return stored
