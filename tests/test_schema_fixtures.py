"""Every past schema version, frozen in tests/fixtures/, still opens, migrates to a schema
identical to a fresh one, and keeps its data. A file from a newer Safekeep is refused."""

import shutil
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from app.core.records.check import check_case
from app.errors import CaseFromNewerVersion
from app.models import EvidenceItem, Identifier, Payment, kdf
from app.models.casefile import CaseFile
from app.models.migrations import SCHEMA_VERSION, schema_sql

FIXTURES = Path(__file__).parent / "fixtures"
PASSPHRASE = "fixture passphrase"
FROZEN = sorted(FIXTURES.glob("schema_v*.skcase"))


def test_there_is_a_fixture_for_every_version() -> None:
    versions = {int(p.stem.removeprefix("schema_v")) for p in FROZEN}
    assert versions == set(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("fixture", FROZEN, ids=[p.stem for p in FROZEN])
def test_frozen_case_opens_and_keeps_its_data(fixture: Path, tmp_path: Path) -> None:
    copy = tmp_path / fixture.name
    shutil.copy2(fixture, copy)
    fresh = CaseFile.create(
        tmp_path / "fresh.skcase", "x", display_name="f", actor="t", kdf_profile=1
    )
    with fresh.read() as s:
        fresh_schema = schema_sql(s.connection())
    fresh.close()
    with CaseFile.open(copy, PASSPHRASE, actor="t") as case:
        with case.read() as s:
            assert schema_sql(s.connection()) == fresh_schema
            assert s.scalars(select(Identifier.value)).one() == "live:.cid.fixture"
            assert str(s.scalars(select(Payment.amount)).one()) == "250.00"
            assert s.scalars(select(EvidenceItem.original_name)).one() == "chat.png"
        report = check_case(case)
        assert report.ok, report.problems


def test_newer_schema_is_refused_unchanged(case_path: Path) -> None:
    CaseFile.create(case_path, "pw", display_name="x", actor="t", kdf_profile=1).close()
    salt = case_path.read_bytes()[:16]
    profile = kdf.profile_for_salt(salt)
    assert profile is not None
    conn = sqlcipher3.connect(str(case_path), isolation_level=None)
    conn.execute(
        f'PRAGMA key = "{kdf.sqlcipher_raw_key(kdf.derive_key("pw", salt, profile), salt)}"'
    )
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = case_path.read_bytes()
    with pytest.raises(CaseFromNewerVersion):
        CaseFile.open(case_path, "pw", actor="t")
    assert case_path.read_bytes() == before
