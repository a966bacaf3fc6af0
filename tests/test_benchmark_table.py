"""benchmarks/run_all.py keeps what it measured: each group's rows are printed as the group
ends, and a group that raises gives one "failed" row instead of ending the run."""

from __future__ import annotations

import pytest

from benchmarks.common import Row
from benchmarks.run_all import groups, run_group


def test_rows_are_printed_as_each_group_ends(capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_group("sample", lambda: [Row("Sample ratio", "1.20x", "<= 2.0x", True, "3 s")])
    assert [r.measured for r in rows] == ["1.20x"]
    assert capsys.readouterr().out == "row | Sample ratio | 1.20x | <= 2.0x | pass | 3 s\n"


def test_a_group_that_fails_gives_a_row_and_the_run_goes_on(
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> list[Row]:
        raise RuntimeError("Fatal Python error: Aborted\nmore lines")

    [row] = run_group("text recognition", broken)
    assert row.measured == "failed" and row.passed is False
    assert row.detail == "RuntimeError: Fatal Python error: Aborted"
    assert "text recognition: did not finish" in capsys.readouterr().out


def test_every_benchmark_module_has_a_group() -> None:
    names = [name for name, _ in groups(quick=True)]
    assert len(names) == len(set(names)) == 12
