"""README.txt: the first file an officer opens. What is inside, how it was made, how to check it
with standard tools (no Safekeep needed), and who to ask. Plain text with CRLF line ends so
Notepad on an old police PC shows it as lines."""

import re
import textwrap

from app.export.casedata import CaseSnapshot
from app.export.csv_export import UNCHECKED_CSV
from app.export.formatting import local_is_utc, local_text, one_line, utc_text
from app.export.manifest import MANIFEST_NAME, README_NAME, REPORT_NAME, SUMS_NAME
from app.export.messages_export import HEAD, MESSAGES_CSV, REPORT_BUDGET, TAIL, has_messages
from app.export.removed_exhibits import read_removed, removed_reference
from app.i18n import tr, tr_n


def readme_bytes(snap: CaseSnapshot, *, encrypted: bool, folder: str = "",
                 portal: bool = False) -> bytes:
    counts = snap.counts()
    s = snap.summary
    withheld = counts["evidence_withheld"]
    lines = [
        tr("SAFEKEEP CASE BUNDLE - CONFIDENTIAL: POLICE EVIDENCE"),
        "=" * 52,
        "",
        tr("Case: {name}").format(name=one_line(s.display_name)),
        tr("Person under 18: {value}").format(value=tr("YES") if s.under_18 else tr("no")),
        tr("Crime reference: {ref}").format(
            ref=one_line(s.crime_reference or "") or tr("not yet given")),
        tr("Exported: {when}").format(when=_when(snap)),
        tr("Made with: Safekeep {version}, an offline evidence-keeping app").format(
            version=snap.app_version),
        "",
        tr("Two SHA-256 values identify this bundle: those of {manifest} and of {report}. They "
           "cannot be written inside it (a file cannot hold its own hash, and {manifest} lists "
           "the SHA-256 of every other file, {report} and this file included), so the person "
           "who made the bundle gives them to you separately: by phone, in a letter, or in "
           "a message separate from the bundle.").format(manifest=MANIFEST_NAME,
                                                       report=REPORT_NAME),
        "",
        tr("WHAT IS INSIDE"),
        "-" * 14,
        tr("{report:<20} the case report: summary, timeline, identifiers, payments, checklist, "
           "exhibits with hashes and continuity, audit log").format(report=REPORT_NAME),
        tr_n("{dir:<20} the original files, byte for byte as they were saved (%n file)",
             "{dir:<20} the original files, byte for byte as they were saved (%n files)",
             counts["evidence_included"]).format(dir="evidence/"),
        tr("{dir:<20} identifiers, payments, timeline, evidence, continuity (how, when and "
           "by which computer account each exhibit was obtained, and which exhibit a file "
           "kept from a chat export was taken from), checklist and audit log as "
           "spreadsheets (UTF-8)").format(dir="csv/"),
        *_messages_line(snap),
        *_unchecked_line(snap),
        tr("{name:<20} every item, identifier and payment with its metadata and hashes, and "
           "the SHA-256 of every file but itself and {sums} (machine-readable)").format(
            name=MANIFEST_NAME, sums=SUMS_NAME),
        tr("{name:<20} the SHA-256 of every other file in this bundle").format(name=SUMS_NAME),
        tr("{name:<20} this file").format(name=README_NAME),
        "",
        tr("Evidence items are referred to by exhibit references, such as {ref}, everywhere: in "
           "the report, the spreadsheets and {manifest}. The name of each original in "
           "evidence/ starts with its reference (written {stem}, as a file name cannot hold "
           "\"/\").").format(ref=_example(snap), stem=_example(snap).replace("/", "-"),
                            manifest=MANIFEST_NAME),
        "",
    ]
    if has_messages(snap):
        lines += [
            tr("The chat exports are in evidence/, byte for byte. The report shows each "
               "conversation read from them as a transcript, with times as the export writes "
               "them (a WhatsApp time is the phone's own clock, with no time zone). A "
               "conversation of more than {most:,} messages shows its first {head:,} and last "
               "{tail:,} there, and the report shows at most {budget:,} messages in all, so it "
               "stays readable; {csv} holds every message.").format(
                most=HEAD + TAIL, head=HEAD, tail=TAIL, budget=REPORT_BUDGET, csv=MESSAGES_CSV),
            "",
        ]
    if portal:
        lines += [
            tr("This bundle was made as a portal pack: several ZIP files for an upload portal. "
               "{index} (beside this file) says which file holds what, and how to put the "
               "bundle back together before checking it.").format(index="PORTAL-PACK.txt"),
            "",
        ]
    if removed := read_removed(snap):
        refs = ", ".join(removed_reference(snap, r) for r in removed[:10])
        lines += [
            tr_n("%n exhibit was removed from the case before this bundle was made ({refs}). "
                 "Exhibit numbers are never used again. The report, csv/continuity.csv and "
                 "{manifest} (removed_evidence) say what it was, and when, by whom and why it "
                 "was removed.",
                 "%n exhibits were removed from the case before this bundle was made ({refs}). "
                 "Exhibit numbers are never used again. The report, csv/continuity.csv and "
                 "{manifest} (removed_evidence) say what each was, and when, by whom and why "
                 "it was removed.", len(removed)).format(
                refs=refs + (", ..." if len(removed) > 10 else ""), manifest=MANIFEST_NAME),
            "",
        ]
    if counts["evidence_damaged"]:
        lines += [
            tr_n("%n evidence item is damaged in the case file and is NOT in evidence/: its "
                 "content could not be read back when this bundle was made ({refs}). The "
                 "report, csv/evidence.csv and manifest.json list it with the SHA-256 taken "
                 "when it arrived.",
                 "%n evidence items are damaged in the case file and are NOT in evidence/: "
                 "their content could not be read back when this bundle was made ({refs}). The "
                 "report, csv/evidence.csv and manifest.json list them with the SHA-256 taken "
                 "when they arrived.", counts["evidence_damaged"]).format(
                refs=", ".join(snap.exhibit(i) for i in snap.damaged_ids)),
            "",
        ]
    if withheld:
        lines += [
            tr_n("%n evidence item is marked sensitive (intimate images) and is NOT in "
                 "evidence/. It is listed in the report and in csv/evidence.csv with its "
                 "SHA-256, so a copy held elsewhere can be matched to it. The person or their "
                 "caseworker can provide it if needed.",
                 "%n evidence items are marked sensitive (intimate images) and are NOT in "
                 "evidence/. They are listed in the report and in csv/evidence.csv with their "
                 "SHA-256, so a copy held elsewhere can be matched to them. The person or their "
                 "caseworker can provide them if needed.", withheld),
            "",
        ]
    elif counts["sensitive_items"]:
        lines += [
            tr_n("This bundle INCLUDES %n item marked sensitive (an intimate image). Please "
                 "handle it accordingly.",
                 "This bundle INCLUDES %n items marked sensitive (intimate images). Please "
                 "handle them accordingly.", counts["sensitive_items"]),
            "",
        ]
    lines += [
        tr("HOW IT WAS MADE"),
        "-" * 15,
        tr("Each original was hashed (SHA-256) when it was added to the encrypted case file, "
           "before anything else was done with it. On export every original was read back, "
           "hashed again and compared; the bundle is only written if all of them still match."),
        "",
        tr("Every change to the case (additions, edits, removals, exports) is recorded in an "
           "append-only audit log whose entries are chained by SHA-256; the report's appendix "
           "and csv/audit.csv list it. Audit chain head: {head} ({state}).").format(
            head=snap.chain.head,
            state=tr("verified") if snap.chain.first_broken_id is None else tr("NOT verified")),
        "",
        tr("Times inside the ZIP listing are the export time; the original file times are in "
           "csv/evidence.csv and {manifest}.").format(manifest=MANIFEST_NAME),
        "",
        tr("In the CSV files, a cell that a spreadsheet could run as a formula starts with a "
           "single quote ('), and control characters are shown as \\uXXXX, except tabs and "
           "line breaks, which a cell holds as they are (within quotes). {manifest} holds the "
           "exact values.").format(manifest=MANIFEST_NAME),
        tr("A spreadsheet opened by double-click may also change numbers: it drops a leading "
           "0 (a phone number, an MTCN), rounds numbers longer than 15 digits (a card or "
           "gift card code), and shows a payment known only to its month (2025-03) as a "
           "date. To see them as written, import the file (Data > From Text/CSV) "
           "and set those columns to Text; the report and {manifest} show them exactly.").format(
               manifest=MANIFEST_NAME),
        "",
        tr("HOW TO CHECK THAT NOTHING WAS CHANGED"),
        "-" * 37,
        tr("Unzip the bundle. It makes one folder, {folder}. Open a terminal in that folder, "
           "then:").format(folder=folder or tr("named after the case")),
        "",
        tr("  Linux:    sha256sum -c SHA256SUMS"),
        tr("  macOS:    shasum -a 256 -c SHA256SUMS"),
        tr("  Windows (PowerShell):"),
        # -Encoding UTF8: Windows PowerShell 5.1 reads a file with no byte-order mark as the
        # local code page, and a name like "Zoë.png" then comes out garbled (not found).
        "    Get-Content -Encoding UTF8 SHA256SUMS | ForEach-Object { $h, $p = $_ -split '  ', 2; "
        "if ((Get-FileHash -Algorithm SHA256 -LiteralPath $p).Hash -ne $h) "
        "{ \"DIFFERENT: $p\" } else { \"OK: $p\" } }",
        "",
        tr("Every line must say OK. To check one file: Get-FileHash -Algorithm SHA256 FILE "
           "(Windows) or sha256sum FILE, and compare with SHA256SUMS and the report."),
        "",
        tr("With Safekeep installed, `safekeep verify BUNDLE.zip` checks the ZIP without "
           "unzipping it, against both SHA256SUMS and {manifest}, and names any file that "
           "differs, is missing or was added; `safekeep verify FOLDER` does the same for the "
           "unzipped folder. For a portal pack, give it the folder of the ZIP files, or the "
           "first of them.").format(manifest=MANIFEST_NAME),
        "",
        tr("What this proves, and what it cannot: SHA256SUMS and `safekeep verify` prove that "
           "the files agree with each other and were not damaged. They cannot prove alone "
           "that nobody changed the bundle, because whoever changes a file can write a new "
           "{manifest} and {sums} to match. Compare the SHA-256 of {manifest} (sha256sum "
           "{manifest}; `safekeep verify` prints it) with the value you were given separately: "
           "if they match, every file that matches {manifest} is as it was made. The SHA-256 "
           "of {report} checks the report alone, for example a copy sent on its own.").format(
            manifest=MANIFEST_NAME, sums=SUMS_NAME, report=REPORT_NAME),
        "",
    ]
    if encrypted:
        lines += [
            tr("This ZIP is encrypted with AES-256. 7-Zip, WinZip and `safekeep verify "
               "--bundle-passphrase-file` open it; the ZIP tool built into Windows does not."),
            "",
        ]
    lines += [
        tr("Questions about this case go to the person who made this bundle or their "
           "caseworker{caseworker}.").format(
            caseworker=f" ({one_line(s.caseworker)})" if s.caseworker else ""),
    ]
    return ("\r\n".join(wrap_for_notepad(lines)) + "\r\n").encode("utf-8")


def _messages_line(snap: CaseSnapshot) -> list[str]:
    if not has_messages(snap):
        return []
    return [tr("{name:<20} every message read from the chat exports, one row each: the export's "
               "exhibit reference, conversation, sender, time as written, text, attachments "
               "with their exhibit references").format(name=MESSAGES_CSV)]


def _unchecked_line(snap: CaseSnapshot) -> list[str]:
    if not snap.unchecked:
        return []
    return [tr("{name:<20} details Safekeep found in the evidence (names, numbers, addresses) "
               "that the person has not checked: read by machine, each with the exhibits it "
               "was seen in").format(name=UNCHECKED_CSV)]


def _example(snap: CaseSnapshot) -> str:
    """The first item's exhibit reference, or what one would look like."""
    if snap.evidence:
        return snap.exhibit(snap.evidence.ids[0])
    return f"{snap.summary.producer_initials}/1"


def _when(snap: CaseSnapshot) -> str:
    when = utc_text(snap.exported_at)
    if not local_is_utc(snap.exported_at):
        when += " / " + local_text(snap.exported_at)
    return when


def wrap_for_notepad(lines: list[str], width: int = 78) -> list[str]:
    """Lines of prose wrapped for Notepad without word wrap; commands (indented) untouched,
    so they can be copied whole. Name-and-description lines and numbered steps keep their
    column."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width or line.startswith(" "):
            out.append(line)
            continue
        column = re.match(r"\S+ {2,}|\d+\. ", line)
        indent = " " * column.end() if column else ""
        out += textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False,
                             break_on_hyphens=False)
    return out
