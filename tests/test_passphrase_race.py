"""Changing the passphrase while another program keeps opening the case (issue 20, item 1).

A child process opens the case again and again (trying both passphrases), saves an identifier
each time and writes its value to a log only after the save committed. The parent changes the
passphrase back and forth, hundreds of times, through the real `CaseFile` API. After every
change: exactly the passphrase the change reported opens the case, SQLCipher's HMACs and
SQLite's b-trees are whole (`check_case`), and every identifier the child reported saved is in
the case. A second, shorter test does the same with `safekeep passwd` in a subprocess and holds
it to what it printed.

Both processes of the first test derive keys with a quick hash instead of Argon2id: the KDF is
not what this test is about, and at half a second per derivation on a busy 2-core machine the
hundreds of changes (and thousands of opens) would take many minutes. The second test runs the
real command, KDF and all.
"""

import hashlib
import os
import random
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.records import check_case
from app.errors import CaseInUse, SafekeepError, WrongPassphrase
from app.models import Identifier, kdf
from app.models.casefile import CaseFile

PASSPHRASES = ("first passphrase", "second passphrase")
ROOT = Path(__file__).resolve().parent.parent

# The child: open, save one identifier, log it, close; repeat until the stop file appears.
QUICK_KDF = textwrap.dedent("""
    import hashlib, os, random, sys, time
    from app.models import kdf
    kdf.derive_key = lambda secret, salt, _profile: hashlib.blake2b(
        kdf.normalise_passphrase(secret) + salt, digest_size=kdf.KEY_BYTES).digest()
""")

# `safekeep passwd` itself (the command's own entry point), with the quick KDF.
PASSWD = QUICK_KDF + textwrap.dedent("""
    from app.__main__ import main
    sys.exit(main(sys.argv[1:]))
""")

OPENER = QUICK_KDF + textwrap.dedent("""
    from app.errors import CaseInUse, SafekeepError, WrongPassphrase
    from app.models import Identifier
    from app.models.casefile import CaseFile

    case_path, log_path, stop_path, pause, *passphrases = sys.argv[1:]
    n = 0
    with open(log_path, "a", encoding="utf-8") as log:
        while not os.path.exists(stop_path):
            for passphrase in list(passphrases):
                try:
                    case = CaseFile.open(case_path, passphrase, actor="child")
                except CaseInUse:
                    time.sleep(0.002)
                    break
                except WrongPassphrase:
                    continue
                except SafekeepError as exc:
                    print("open failed:", type(exc).__name__, exc.message, file=sys.stderr,
                          flush=True)
                    time.sleep(0.05)
                    break
                try:
                    value = f"child {n}"
                    with case.write() as s:
                        s.add(Identifier(type="other", value=value, normalised=value))
                    log.write(value + "\\n")
                    log.flush()
                    n += 1
                except SafekeepError as exc:
                    print("write failed:", type(exc).__name__, exc.message, file=sys.stderr,
                          flush=True)
                finally:
                    case.close()
                time.sleep(random.uniform(0, float(pause)))  # let the parent in, now and then
                passphrases.remove(passphrase)
                passphrases.insert(0, passphrase)  # try the one that worked first next time
                break
""")


def _quick_kdf(passphrase: str, salt: bytes, _profile: kdf.KdfProfile) -> bytes:
    return hashlib.blake2b(kdf.normalise_passphrase(passphrase) + salt,
                           digest_size=kdf.KEY_BYTES).digest()


def _retry(action: Callable[[], object], seconds: float = 20.0) -> object:
    """Run `action`, waiting while the child has the case open."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return action()
        except CaseInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.001)


def _opens(case_path: Path, passphrase: str) -> bool:
    def attempt() -> bool:
        try:
            CaseFile.open(case_path, passphrase, actor="checker", record_open=False).close()
            return True
        except WrongPassphrase:
            return False

    return bool(_retry(attempt))


def _check(case_path: Path, passphrase: str, log_path: Path) -> int:
    """The case opens under `passphrase` only, is whole, and holds everything the child
    reported saved. Returns how many values the child has saved so far."""
    other = PASSPHRASES[1 - PASSPHRASES.index(passphrase)]
    case = _retry(lambda: CaseFile.open(case_path, passphrase, actor="checker",
                                        record_open=False))
    assert isinstance(case, CaseFile)
    try:
        report = check_case(case)
        assert report.ok, report.problems
        # Read the log while holding the case: the child logs a value before it closes.
        reported = set(log_path.read_text(encoding="utf-8").splitlines())
        with case.read() as s:
            stored = {v for (v,) in s.query(Identifier.value)}
        assert reported <= stored, sorted(reported - stored)[:5]
    finally:
        case.close()
    assert not _opens(case_path, other), "the other passphrase opens the case too"
    return len(reported)


def _start_child(
    tmp_path: Path, case_path: Path, pause: float
) -> tuple[subprocess.Popen[str], Path, Path]:
    script = tmp_path / "opener.py"
    script.write_text(OPENER, encoding="utf-8")
    log_path, stop_path = tmp_path / "saved.log", tmp_path / "stop"
    log_path.touch()
    child = subprocess.Popen(
        [sys.executable, str(script), str(case_path), str(log_path), str(stop_path),
         str(pause), *PASSPHRASES],
        stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return child, log_path, stop_path


def _stop_child(child: subprocess.Popen[str], stop_path: Path) -> str:
    stop_path.touch()
    try:
        _, err = child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        _, err = child.communicate()
    return err


def _outcome_of(exc: SafekeepError) -> bool:
    """True when the error itself says the passphrase did change (and only something after
    the change went wrong)."""
    return bool(getattr(exc, "passphrase_changed", False))


@pytest.mark.slow
def test_passphrase_change_races_another_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kdf, "derive_key", _quick_kdf)
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASES[0], display_name="race", actor="t",
                    kdf_profile=1).close()
    child, log_path, stop_path = _start_child(tmp_path, case_path, 0.03)
    current, changes, failures, started = PASSPHRASES[0], 0, 0, time.monotonic()
    try:
        while changes < 300 and time.monotonic() - started < 45:
            new = PASSPHRASES[1 - PASSPHRASES.index(current)]
            case = _retry(lambda p=current: CaseFile.open(case_path, p, actor="parent",
                                                           record_open=False))
            assert isinstance(case, CaseFile)
            try:
                case.change_passphrase(new, kdf_profile=1)
                current = new
            except SafekeepError as exc:
                failures += 1
                if _outcome_of(exc):
                    current = new
            finally:
                case.close()
            changes += 1
            saved = _check(case_path, current, log_path)
            time.sleep(random.uniform(0, 0.02))  # let the child in, now and then
    finally:
        err = _stop_child(child, stop_path)
    saved = _check(case_path, current, log_path)
    print(f"{changes} changes ({failures} reported as not made), {saved} saves by the child")
    assert child.returncode == 0, err
    assert "failed" not in err, err
    # The race really ran: many changes, and the child got in between them many times.
    assert changes >= 100, changes
    assert saved >= 50, saved
    assert failures <= changes // 10, failures



@pytest.mark.slow
def test_safekeep_passwd_tells_the_truth_while_racing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`safekeep passwd` in its own process, against the opener: what it prints, and its exit
    status, match which passphrase opens the case afterwards."""
    monkeypatch.setattr(kdf, "derive_key", _quick_kdf)
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASES[0], display_name="race", actor="t",
                    kdf_profile=1).close()
    script = tmp_path / "passwd.py"
    script.write_text(PASSWD, encoding="utf-8")
    child, log_path, stop_path = _start_child(tmp_path, case_path, 0.3)
    current, changed, in_use, started = PASSPHRASES[0], 0, 0, time.monotonic()
    try:
        while changed < 10 and time.monotonic() - started < 45:
            new = PASSPHRASES[1 - PASSPHRASES.index(current)]
            env = {**os.environ, "PYTHONPATH": str(ROOT), "SAFEKEEP_PASSPHRASE": current,
                   "SAFEKEEP_NEW_PASSPHRASE": new}
            proc = subprocess.run(
                [sys.executable, str(script), "passwd", str(case_path), "--kdf-profile", "1"],
                env=env, capture_output=True, text=True, cwd=ROOT, timeout=60,
            )
            if proc.returncode == 0:
                assert "was changed" in proc.stdout, proc
                current, changed = new, changed + 1
            elif "already open" in proc.stderr:
                in_use += 1  # the opener had it: nothing was tried
            elif "passphrase was changed" in proc.stderr:
                current, changed = new, changed + 1  # changed; something after went wrong
            else:
                assert "was not changed" in proc.stderr, proc
            _check(case_path, current, log_path)
    finally:
        err = _stop_child(child, stop_path)
    print(f"passwd: {changed} changed, {in_use} found the case in use")
    assert child.returncode == 0, err
    assert "failed" not in err, err
    assert changed >= 4, changed
