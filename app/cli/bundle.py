"""`safekeep export` and `verify`: write the case bundle for officers, and check a bundle
against its hashes without the case file."""

import argparse
import sys

from app.cli.command import Command
from app.cli.common import open_case, read_passphrase, safe_line, say
from app.errors import EXIT_OK, EXIT_PROBLEM_FOUND
from app.i18n import tr, tr_n


def _bundle_passphrase(args: argparse.Namespace) -> str | None:
    if not args.bundle_passphrase_file:
        return None
    # Only from the file: an environment variable would be the case's own passphrase by habit.
    return read_passphrase(args.bundle_passphrase_file)


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", metavar="OUT.zip")
    p.add_argument("--include-sensitive", action="store_true")
    p.add_argument("--bundle-passphrase-file", metavar="FILE")


def cmd_export(args: argparse.Namespace) -> int:
    from app.export.bundle import export_bundle

    bundle_passphrase = _bundle_passphrase(args)
    with open_case(args) as case:
        result = export_bundle(case, args.out, include_sensitive=args.include_sensitive,
                               bundle_passphrase=bundle_passphrase)
    say(tr("Wrote {path} ({files} files, {size:,} bytes).").format(
        path=result.path, files=result.files, size=result.bytes_written))
    say(tr("Evidence files included: {n}").format(n=result.evidence_included))
    if result.evidence_withheld:
        say(tr("Sensitive items withheld (listed with their hashes): {n}").format(
            n=result.evidence_withheld))
    say(tr("SHA-256 of manifest.json: {hash}").format(hash=result.manifest_sha256))
    return EXIT_OK


def _verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("bundle", metavar="BUNDLE.zip")
    p.add_argument(
        "--bundle-passphrase-file", metavar="FILE", help="the passphrase of an encrypted bundle"
    )


def cmd_verify(args: argparse.Namespace) -> int:
    from app.export.verify import verify_bundle

    report = verify_bundle(args.bundle, _bundle_passphrase(args))
    for problem in report.problems:
        sys.stderr.write(f"safekeep: problem: {safe_line(problem)}\n")
    if report.manifest_sha256:
        say(tr("SHA-256 of manifest.json: {hash} (compare it with the report's cover)").format(
            hash=report.manifest_sha256))
    if report.ok:
        say(tr_n("The %n file matches SHA256SUMS, and every file listed in manifest.json "
                 "matches it.", "All %n files match SHA256SUMS, and every file listed in "
                 "manifest.json matches it.", report.checked))
        return EXIT_OK
    say(tr_n("%n problem found. This bundle is not as it was made.",
             "%n problems found. This bundle is not as it was made.", len(report.problems)))
    return EXIT_PROBLEM_FOUND


COMMANDS = (
    Command("export", "write the case bundle for officers", cmd_export, _export_arguments),
    # A bundle is checked without its case file or the case's passphrase.
    Command("verify", "check every file of a bundle against its hashes", cmd_verify,
            _verify_arguments, takes_case=False),
)
