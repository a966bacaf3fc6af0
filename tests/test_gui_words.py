"""`safekeep gui` takes `[--portable] [CASE]`; its help and any other words are the command
line's. `safekeep gui --help` had opened the window, on a case file named "--help"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.__main__ import window_takes


def test_the_window_takes_a_case_and_portable_and_nothing_else() -> None:
    assert window_takes([]) and window_takes(["case.skcase"])
    assert window_takes(["--portable"]) and window_takes(["case.skcase", "--portable"])
    assert window_takes(["--", "-odd name.skcase"])  # a case whose name starts with a dash
    for words in (["--help"], ["-h"], ["--portible"], ["a.skcase", "b.skcase"],
                  ["--version"], ["--", "a", "b"]):
        assert not window_takes(words), words


def _safekeep(tmp_path: Path, *words: str) -> subprocess.CompletedProcess[str]:
    # With a screen (QT_QPA_PLATFORM offscreen) a wrong turn here would open the window and
    # wait for a person; the timeout says so instead.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "app", "gui", *words], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)


def test_help_is_printed_and_the_window_does_not_open(tmp_path: Path) -> None:
    done = _safekeep(tmp_path, "--help")
    assert done.returncode == 0, done
    assert done.stdout.startswith("usage: safekeep gui") and "--portable" in done.stdout
    assert not list(tmp_path.glob("*.skcase")) and not (tmp_path / "--help").exists()


@pytest.mark.parametrize("words", [("--portible",), ("one.skcase", "two.skcase")])
def test_words_the_window_cannot_take_are_a_usage_error_in_one_line(
        tmp_path: Path, words: tuple[str, ...]) -> None:
    done = _safekeep(tmp_path, *words)
    assert done.returncode == 2, done
    assert done.stderr.startswith("safekeep: error: unrecognized arguments")
    assert len(done.stderr.strip().splitlines()) == 1
