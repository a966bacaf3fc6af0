"""`safekeep export` and `verify`: write the case bundle for officers, and check a bundle
against its hashes without the case file."""

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.command import Command
from app.cli.common import (
    open_case,
    read_passphrase,
    safe_line,
    say,
    say_problem,
    warn_if_synced,
)
from app.errors import EXIT_OK, EXIT_PROBLEM_FOUND
from app.i18n import tr, tr_n
from app.places import is_folder
from app.synced_folders import bundle_sentence

if TYPE_CHECKING:
    from app.models.casefile import CaseFile


def _bundle_passphrase(args: argparse.Namespace) -> str | None:
    if not args.bundle_passphrase_file:
        return None
    # Only from the file: an environment variable would be the case's own passphrase by habit.
    return read_passphrase(args.bundle_passphrase_file)


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", metavar="OUT.zip", nargs="?",
                   help="default: named after the case, in the current folder (or in OUT, if "
                        "OUT is a folder)")
    p.add_argument("--include-sensitive", action="store_true",
                   help="put the files of items marked sensitive (intimate images) in the "
                        "bundle too; without it only their hashes are listed (the report never "
                        "shows them)")
    p.add_argument("--bundle-passphrase-file", metavar="FILE",
                   help="lock the ZIP (AES-256, opens in 7-Zip) with the passphrase on the first "
                        "line of FILE")
    p.add_argument("--portal-pack", action="store_true",
                   help="a folder of at most 16 ZIP files of at most 2 GB, for an upload portal")
    p.add_argument("--portal-max-files", metavar="N", type=int, default=16,
                   help="the most files the portal takes (default 16)")
    p.add_argument("--portal-max-size", metavar="SIZE", default="2G",
                   help="the largest file the portal takes, such as 2G or 500M (default 2G)")


def _default_out(case: "CaseFile") -> str:
    """The bundle's folder name and ".zip", in the current folder (a pack: the folder)."""
    from app.core.records import case_summary
    from app.export.names import bundle_file_name

    summary = case_summary(case)
    return bundle_file_name(summary.display_name, date.today(), summary.crime_reference)


def _out_path(out: str | None, case: "CaseFile") -> str:
    """Where the bundle goes: OUT as given; or, when OUT is missing or a folder that exists,
    the bundle's own name in the current folder or in OUT (`export CASE /media/usb` was
    refused as a name already taken)."""
    if out is None:
        return _default_out(case)
    if is_folder(Path(out)):
        return str(Path(out) / _default_out(case))
    return out


def cmd_export(args: argparse.Namespace) -> int:
    from app.export.bundle import export_bundle
    from app.export.portal import PortalLimits, parse_size
    from app.export.portal_index import INDEX_TEXT

    bundle_passphrase = _bundle_passphrase(args)
    portal = (PortalLimits(args.portal_max_files, parse_size(args.portal_max_size))
              if args.portal_pack else None)
    with open_case(args) as case:
        result = export_bundle(case, _out_path(args.out, case),
                               include_sensitive=args.include_sensitive,
                               bundle_passphrase=bundle_passphrase, portal=portal)
    say(tr("Wrote {path} ({files} files, {size:,} bytes).").format(
        path=result.path, files=result.files, size=result.bytes_written))
    if result.parts:
        say(tr_n("Portal pack: %n ZIP file. Upload it; {index} inside says what it holds.",
                 "Portal pack: %n ZIP files. Upload all of them; {index} in the first says "
                 "which holds what.", len(result.parts)).format(index=INDEX_TEXT))
        for part in result.parts:
            say(f"  {safe_line(part.name)}")
    say(tr("Evidence files included: {n}").format(n=result.evidence_included))
    if result.evidence_withheld:
        say(tr("Sensitive items withheld (listed with their hashes): {n}").format(
            n=result.evidence_withheld))
    for exhibit, name in result.damaged:
        say_problem(tr("Exhibit {ref} ({name}) is damaged in the case file, so its file was left "
                       "out of the bundle. The report and manifest list it with the SHA-256 "
                       "taken when it arrived.").format(ref=exhibit, name=name))
    _say_hashes(result.manifest_sha256, result.report_sha256)
    warn_if_synced(result.path, bundle_sentence)
    say(tr("Give these two values to the officer separately from the bundle (by phone, in a "
           "letter, or in another message): with them, they can prove the bundle and the "
           "report are the ones you made. The case's audit log keeps them too."))
    return EXIT_PROBLEM_FOUND if result.damaged else EXIT_OK


def _say_hashes(manifest_sha256: str | None, report_sha256: str | None) -> None:
    """The two lines, aligned so the values are easy to compare by eye."""
    if manifest_sha256:
        say(tr("SHA-256 of manifest.json: {hash}").format(hash=manifest_sha256))
    if report_sha256:
        say(tr("SHA-256 of report.pdf:    {hash}").format(hash=report_sha256))


def _verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("bundle", metavar="BUNDLE.zip",
                   help="a bundle, the folder it was unzipped into, or a portal pack "
                        "(its folder, or any of its files)")
    p.add_argument(
        "--bundle-passphrase-file", metavar="FILE", help="the passphrase of an encrypted bundle"
    )


def cmd_verify(args: argparse.Namespace) -> int:
    from app.export.verify import verify_bundle

    report = verify_bundle(args.bundle, _bundle_passphrase(args))
    # The hashes to compare first, then what the checks found: an officer compares the two
    # hashes with the ones given separately, and fifty problems must not push them away.
    _say_hashes(report.manifest_sha256, report.report_sha256)
    if report.manifest_sha256:
        say(tr("Compare these with the values given to you separately by the person who made "
               "the bundle. Only they prove that nobody rewrote the files and their lists "
               "together; the checks below prove the files agree with the lists."))
    if report.parts:
        say(tr_n("Portal pack of %n ZIP file.", "Portal pack of %n ZIP files, read together.",
                 report.parts))
    for note in report.notes:
        say(note)
    sys.stdout.flush()  # before the problems, on stderr, so a terminal shows them in order
    for problem in report.problems:
        say_problem(problem)
    if report.problem_count > len(report.problems):
        say_problem(tr_n(
            "… and %n more problem (the first {shown} are printed).",
            "… and %n more problems (the first {shown} are printed).",
            report.problem_count - len(report.problems)).format(shown=len(report.problems)))
    if report.ok:
        say(tr_n("The %n file matches SHA256SUMS, and every file listed in manifest.json "
                 "matches it.", "All %n files match SHA256SUMS, and every file listed in "
                 "manifest.json matches it.", report.checked))
        return EXIT_OK
    if report.checked == 0 and not report.manifest_sha256:
        # Nothing in it could be read as a bundle (not a ZIP, a ZIP of something else): not
        # "changed", which would say someone altered what they may never have had.
        say(tr_n("%n problem found. This could not be checked as a Safekeep bundle.",
                 "%n problems found. This could not be checked as a Safekeep bundle.",
                 report.problem_count))
    else:
        found = tr_n("%n problem found.", "%n problems found.", report.problem_count)
        if 0 < report.files_flagged < report.problem_count:  # one file fails several checks
            found = tr_n("%n problem found, about {files}.", "%n problems found, about {files}.",
                         report.problem_count).format(
                files=tr_n("%n file", "%n files", report.files_flagged))
        say(found + " " + tr("This bundle is not as it was made."))
    return EXIT_PROBLEM_FOUND


COMMANDS = (
    Command("export", "write the case bundle for officers", cmd_export, _export_arguments),
    # A bundle is checked without its case file or the case's passphrase.
    Command("verify", "check every file of a bundle against its hashes", cmd_verify,
            _verify_arguments, takes_case=False),
)
