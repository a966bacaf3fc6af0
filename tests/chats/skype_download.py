"""Skype's data download written in its own shape (a TAR file holding messages.json and a
media folder), for the tests of the reader and of adding it to a case."""

import io
import json
import tarfile
from pathlib import Path
from typing import Any

HOLDER = "8:live:.cid.aaaa1111"
OFFENDER = "8:live:.cid.bbbb2222"
PHOTO_ID = "0-weu-d3-5ab0c1d2e3f4"
PHOTO = b"\xff\xd8\xff\xe0 a photo's bytes \xff\xd9"


def message(when: str, sender: str | None, kind: str, content: str, *, name: str | None = None,
            conversation: str = OFFENDER, properties: dict[str, Any] | None = None,
            references: list[str] | None = None) -> dict[str, Any]:
    return {"id": when, "displayName": name, "originalarrivaltime": when, "messagetype": kind,
            "version": 1, "content": content, "conversationid": conversation, "from": sender,
            "properties": properties, "amsreferences": references}


PICTURE = (f'<URIObject type="Picture.1" uri="https://api.asm.skype.com/v1/objects/{PHOTO_ID}"'
           f' url_thumbnail="https://api.asm.skype.com/v1/objects/{PHOTO_ID}/views/imgt1"'
           f' doc_id="{PHOTO_ID}">To view this shared photo, go to: <a href="https://login.'
           f'skype.com/login/sso?go=xmmfallback?pic={PHOTO_ID}">https://login.skype.com/login/'
           f'sso?go=xmmfallback?pic={PHOTO_ID}</a><OriginalName v="you.jpg"></OriginalName>'
           '<FileSize v="23"></FileSize></URIObject>')

# Newest first, as the download lists them.
ONE_TO_ONE = [
    message("2024-03-02T21:05:09.123Z", OFFENDER, "RichText/UriObject", PICTURE,
            references=[PHOTO_ID]),
    message("2024-03-02T21:04:30.000Z", OFFENDER, "RichText", "", name="Anna Smith",
            properties={"deletetime": "1709413470000"}),
    message("2024-03-02T21:04:00.000Z", OFFENDER, "RichText",
            "Pay &pound;500 to <a href=\"https://paypal.me/annasm\">paypal.me/annasm</a> or I "
            "send the video <ss type=\"smile\">:)</ss><e_m a=\"live:.cid.bbbb2222\" "
            "ts_ms=\"1709413450000\" ts=\"1709413450\" t=\"61\"></e_m>", name="Anna Smith"),
    message("2024-03-02T21:02:00.000Z", OFFENDER, "Event/Call",
            '<partlist type="ended" alt=""><part identity="live:.cid.bbbb2222"><name>Anna '
            'Smith</name><duration>125.3</duration></part></partlist>'),
    message("2024-03-02T21:00:00.000Z", OFFENDER, "Event/Call",
            '<partlist type="started" alt=""><part identity="live:.cid.bbbb2222"><name>Anna '
            'Smith</name></part></partlist>'),
    message("2024-03-02T20:59:30.000Z", HOLDER, "RichText",
            '<quote author="live:.cid.bbbb2222" authorname="Anna Smith" timestamp="1709413100">'
            '<legacyquote>[02/03/2024 20:58:20] Anna Smith: </legacyquote>video?'
            '<legacyquote>\n\n&lt;&lt;&lt; </legacyquote></quote>ok, Tom &amp; me',
            name="Sam"),
    message("2024-03-02T20:59:00.000Z", HOLDER, "Text", "hi", name="Sam"),
    message("2024-03-02T20:58:00.000Z", "8:concierge", "Notice", "Skype tips"),
]
GROUP_ID = "19:0f1e2d3c4b5a@thread.skype"
GROUP = [
    message("2024-03-03T09:02:00Z", "4:+447911123456", "RichText", "send it now",
            conversation=GROUP_ID),
    message("2024-03-03T09:01:00Z", "28:concierge", "RichText", "I am a bot",
            conversation=GROUP_ID, name="Concierge"),
    message("2024-03-03T09:00:00Z", OFFENDER, "ThreadActivity/AddMember",
            "<addmember><eventtime>1709456400000</eventtime><initiator>8:live:.cid.bbbb2222"
            "</initiator><target>8:live:.cid.aaaa1111</target></addmember>",
            conversation=GROUP_ID),
    message("2024-03-03T08:59:00Z", OFFENDER, "RichText/Contacts",
            '<contacts><c t="s" s="live:.cid.cccc3333" f="Mark"/></contacts>',
            conversation=GROUP_ID, name="Anna Smith"),
]


def download(one_to_one: list[dict[str, Any]] | None = None,
             group: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"userId": HOLDER, "exportDate": "2024-03-05T10:00:00.000Z", "conversations": [
        {"id": OFFENDER, "displayName": "Anna Smith", "version": 1,
         "properties": {"conversationblocked": False, "lastimreceivedtime": None,
                        "consumptionhorizon": None, "conversationstatus": None},
         "threadProperties": None,
         "MessageList": ONE_TO_ONE if one_to_one is None else one_to_one},
        {"id": "8:live:.cid.dddd4444", "displayName": "Never written to", "version": 1,
         "properties": None, "threadProperties": None, "MessageList": []},
        {"id": GROUP_ID, "displayName": None, "version": 1, "properties": None,
         "threadProperties": {"membercount": 3, "members": "[]", "topic": "Deal"},
         "MessageList": GROUP if group is None else group}]}


def tar_bytes(members: list[tuple[str, bytes]], *, kinds: dict[str, bytes] | None = None,
              ) -> bytes:
    """A TAR file of `members` (name, bytes); `kinds` gives a name another member type
    (tarfile.SYMTYPE, LNKTYPE, CHRTYPE...), whose link points at /etc/passwd."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            kind = (kinds or {}).get(name)
            if kind is not None:
                info.type, info.size, info.linkname = kind, 0, "/etc/passwd"
                archive.addfile(info)
            else:
                archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def write_download(folder: Path, data: dict[str, Any] | None = None, *,
                   media: bool = True, name: str = "8_live_cid_aaaa1111_export.tar") -> Path:
    members = [("messages.json", json.dumps(data or download()).encode())]
    if media:
        members += [(f"media/{PHOTO_ID}.1.jpg", PHOTO),
                    (f"media/{PHOTO_ID}.json", b'{"filename": "you.jpg"}')]
    path = folder / name
    path.write_bytes(tar_bytes(members))
    return path
