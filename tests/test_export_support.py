"""Helpers for the bundle tests (no tests here): evidence rows written directly, a realistic
demo case, and unzipping. Also `python -m tests.test_export_support OUT_DIR` writes the demo
bundle used for docs/report-page-1.png, docs/report-page-2.png and docs/report-transcript.png
(the demo case with a WhatsApp export added, as a person adds it).

Evidence is inserted as rows (hash, content through app.models.content, our JPEG thumbnail)
exactly as intake stores it, so these tests do not depend on the importer's decoders.
"""

import hashlib
import io
import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from app.core.guidance.checklist import mark_item
from app.core.records.audited import audit
from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment
from app.core.records.summary import edit_case
from app.core.records.timeline import add_event
from app.models import EvidenceItem, EvidenceThumbnail
from app.models.casefile import CaseFile
from app.models.content import store_bytes


def png_bytes(width: int = 320, height: int = 200, text: str = "screenshot",
              seed: int = 0) -> bytes:
    image = Image.new("RGB", (width, height), (230 - seed % 40, 236, 242))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 28), fill=(59, 89, 152))
    draw.text((10, 8), "Messenger", fill="white")
    for row in range(4):
        y = 40 + row * 36
        draw.rounded_rectangle((10 + (row % 2) * 80, y, width - 90 + (row % 2) * 80, y + 26),
                               radius=8, fill=(255, 255, 255) if row % 2 else (208, 228, 255))
        draw.text((18 + (row % 2) * 80, y + 7), f"{text} {seed}-{row}", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_thumbnail(png: bytes, box: int = 256) -> tuple[bytes, int, int]:
    image = Image.open(io.BytesIO(png), formats=["PNG"]).convert("RGB")
    image.thumbnail((box, box))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue(), image.width, image.height


def add_evidence_direct(
    case: CaseFile, data: bytes, name: str, *, sensitive: bool = False, kind: str = "screenshot",
    detected_type: str = "image/png", description: str = "", thumbnail: bool = True,
    width: int | None = None, height: int | None = None, platform: str | None = None,
    acquired_at: datetime | None = None,
) -> int:
    """Store an item as intake does: row, chunks, thumbnail and audit event in one transaction."""
    digest = hashlib.sha256(data).hexdigest()
    thumb = None
    if thumbnail and detected_type == "image/png":
        thumb = jpeg_thumbnail(data)
        if width is None:
            with Image.open(io.BytesIO(data), formats=["PNG"]) as img:
                width, height = img.size
    with case.write() as session:
        row = EvidenceItem(
            sha256=digest, size=len(data), original_name=name, kind=kind,
            detected_type=detected_type, width=width, height=height, description=description,
            sensitive=sensitive, platform=platform,
            preview_status="ok" if thumb else "none",
            acquired_at=acquired_at or datetime.now(UTC),
            file_modified_at=datetime(2024, 3, 1, 21, 14, 5, tzinfo=UTC),
        )
        session.add(row)
        session.flush()
        store_bytes(session, row.id, data)
        if thumb:
            session.add(EvidenceThumbnail(evidence_id=row.id, width=thumb[1], height=thumb[2],
                                          jpeg=thumb[0]))
        audit(session, case.actor, "evidence.add", f"evidence:{row.id}",
              {"sha256": digest, "name": name, "size": len(data), "sensitive": sensitive})
        return row.id


def build_demo_case(case: CaseFile) -> dict[str, int]:
    """Alex's case: invented but realistic values, as a person and a caseworker would enter."""
    edit_case(case, crime_reference="LC-20240302-0147", caseworker="Sam Okafor (Victim Support)",
              notes="Contact started on Facebook, moved to Skype video. Demand for £500.")
    base = datetime(2024, 3, 1, 20, 5, tzinfo=UTC)
    ids = {}
    ids["chat"] = add_evidence_direct(
        case, png_bytes(text="You have 24 hours", seed=1), "Screenshot 2024-03-01 at 21.14.05.png",
        description="Skype chat: the threat and the demand for money, with their Skype ID visible.",
        platform="Skype", acquired_at=base + timedelta(hours=20))
    ids["profile"] = add_evidence_direct(
        case, png_bytes(text="Profile: Anna Petrova", seed=2), "facebook-profile.png",
        description="Their Facebook profile page, showing the profile link.",
        platform="Facebook", acquired_at=base + timedelta(hours=20, minutes=3))
    ids["video"] = add_evidence_direct(
        case, png_bytes(text="video frame", seed=3), "IMG_0423.png", sensitive=True,
        description="Still from the recording they sent back (intimate).",
        acquired_at=base + timedelta(hours=20, minutes=9))
    ids["receipt"] = add_evidence_direct(
        case, b"%PDF-1.4\n% Western Union receipt (placeholder)\n", "WU receipt.pdf",
        kind="document", detected_type="application/pdf", thumbnail=False,
        description="Western Union receipt with the MTCN.", acquired_at=base + timedelta(days=1))
    add_identifier(case, "facebook", "https://www.facebook.com/anna.petrova.5817",
                   evidence_ids=[ids["profile"]])
    add_identifier(case, "skype-name", "Anna P", note="Shown in black at the top of the profile.")
    add_identifier(case, "skype-id", "live:.cid.7f3a9b2e41d0c6", evidence_ids=[ids["chat"]])
    add_identifier(case, "email", "anna.petrova1993@example.com")
    add_identifier(case, "mtcn", "4817 2930 56", evidence_ids=[ids["receipt"]])
    add_identifier(case, "name", "Anna Petrova", unsure=True, note="Probably not her real name.")
    ids["payment"] = add_payment(
        case, amount="250.00", currency="GBP", method="western-union", reference="4817293056",
        paid_on=date(2024, 3, 2), status="collected", recipient_name="Chukwuemeka Obi",
        recipient_place="Lagos, Nigeria", bank_told=True, bank_told_on=date(2024, 3, 3),
        evidence_ids=[ids["receipt"]])
    add_event(case, base, "Friend request from 'Anna Petrova' on Facebook.", kind="first-contact")
    add_event(case, base + timedelta(hours=1), "Moved to a Skype video call at her request.",
              kind="moved-platform", approximate=True)
    add_event(case, base + timedelta(hours=2), "Sent a recording of the call and threatened to "
              "share it with my friends unless I paid £500.", kind="threat",
              evidence_ids=[ids["chat"]])
    add_event(case, base + timedelta(days=1), "Paid £250 by Western Union.", kind="payment",
              payment_ids=[ids["payment"]])
    add_event(case, base + timedelta(days=1, hours=2), "Reported to Lancashire Police online.",
              kind="report")
    mark_item(case, "dont-panic")
    mark_item(case, "stop-contact")
    mark_item(case, "take-screenshots")
    mark_item(case, "tell-bank", reference="FR-88213")
    return ids


DEMO_CHAT = """\
01/03/2024, 20:41 - Messages and calls are end-to-end encrypted. No one outside of this chat, \
not even WhatsApp, can read or listen to them. Tap to learn more.
01/03/2024, 20:41 - Anna Petrova: Hi Alex, it's Anna from Facebook \U0001f60a this is my WhatsApp
01/03/2024, 20:43 - Alex: hi
01/03/2024, 22:02 - Anna Petrova: IMG-20240301-WA0003.jpg (file attached)
Send it like this. Exactly this name.
01/03/2024, 22:03 - Anna Petrova: I have the recording and the list of your friends and your \
family. Pay \u00a3500 by Western Union in 24 hours or I send the video to everyone. Do not \
tell anyone and do not go to the police, I will know.
01/03/2024, 22:05 - Alex: please don't. I don't have that much
01/03/2024, 22:06 - Anna Petrova: Then send 250 now and 250 tomorrow. Send me the MTCN when \
it is done.
01/03/2024, 22:07 - Anna Petrova: <Media omitted>
01/03/2024, 22:09 - Anna Petrova: This message was deleted
02/03/2024, 09:12 - Alex: I sent 250. MTCN 4817293056
02/03/2024, 09:30 - Anna Petrova: Not enough. Another 250 today or I post it.
"""


def add_demo_chat(case: CaseFile, folder: Path) -> None:
    """The WhatsApp chat with "Anna Petrova", exported with media (a ZIP holding its picture),
    added as a person adds it; its dates are read day first, as they would choose."""
    import zipfile

    from app.core.chats import DateOrder
    from app.core.intake import import_paths

    picture = Image.open(io.BytesIO(png_bytes(text="Chukwuemeka Obi, Lagos", seed=4)))
    jpeg = io.BytesIO()
    picture.convert("RGB").save(jpeg, format="JPEG", quality=85)
    export = folder / "WhatsApp Chat with Anna Petrova.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("WhatsApp Chat with Anna Petrova.txt", DEMO_CHAT)
        archive.writestr("IMG-20240301-WA0003.jpg", jpeg.getvalue())
    exported = datetime(2024, 3, 2, 10, 20, tzinfo=UTC).timestamp()  # when Alex exported it
    os.utime(export, (exported, exported))
    import_paths(case, [export], date_order=DateOrder.DAY_FIRST)


def unzip(bundle: Path, into: Path, passphrase: str | None = None) -> Path:
    """Extract the bundle into `into`; the bundle's one folder there (nothing else is)."""
    import pyzipper

    with pyzipper.AESZipFile(bundle) as zf:
        if passphrase:
            zf.setpassword(passphrase.encode())
        zf.extractall(into)
    [folder] = list(into.iterdir())
    assert folder.is_dir()
    return folder


if __name__ == "__main__":  # python -m tests.test_export_support OUT_DIR
    import tempfile

    from app.export import export_bundle

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo = CaseFile.create(Path(tmp) / "alex.skcase", "demo passphrase", display_name="Alex",
                               actor="Sam Okafor", kdf_profile=1)
        with demo:
            build_demo_case(demo)
            add_event(demo, datetime(2024, 3, 1, 22, 10, tzinfo=UTC), "Asked for £500 by "
                      "Western Union to a name in Lagos, within 24 hours.", kind="demand")
            add_demo_chat(demo, Path(tmp))
            target = out / "alex-bundle.zip"
            target.unlink(missing_ok=True)
            print(export_bundle(demo, target))
