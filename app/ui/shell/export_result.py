"""What the export dialog says once a bundle is made: where it is, what is in it, and what was
left out and why (sensitive items as the person chose; damaged ones, which they did not)."""

from app.export.bundle import ExportResult
from app.i18n import tr, tr_n
from app.ui.kit.view_text import human_size


def result_text(result: ExportResult, *, locked: bool = True) -> str:
    """`locked`: the ZIP was protected with a passphrase (else a line says what that means)."""
    text = tr("The bundle is ready: {name} ({size}).").format(
        name=result.path.name, size=human_size(result.bytes_written))
    included = result.evidence_included
    text += " " + (tr("It has no evidence files yet.") if included == 0 else
                   tr_n("%n evidence item is in it.", "%n evidence items are in it.",
                        included))
    if result.parts:
        text += " " + tr_n(
            "It is a portal pack of %n ZIP file: upload it.",
            "It is a portal pack of %n ZIP files, in that folder: upload all of them.",
            len(result.parts))
    if result.evidence_withheld:
        text += " " + tr_n(
            "%n sensitive item was left out, as you chose; the report still lists it "
            "with its fingerprint.",
            "%n sensitive items were left out, as you chose; the report still lists them "
            "with their fingerprints.", result.evidence_withheld)
    if result.damaged:
        names = ", ".join(f"{ref} ({name})" for ref, name in result.damaged)
        text += " " + tr_n(
            "One item could not be read back from the case file because part of the file "
            "is damaged: {names}. Its file is not in the bundle; the report says so and "
            "lists it with its fingerprint. If you still have the original, add it again.",
            "%n items could not be read back from the case file because part of the file "
            "is damaged: {names}. Their files are not in the bundle; the report says so "
            "and lists them with their fingerprints. If you still have the originals, add "
            "them again.", len(result.damaged)).format(names=names)
    # Where it is, in full and on a line of its own (no full stop to mistake for part of the
    # path): the person has to find it to hand it over.
    text += "\n" + tr("Saved in: {folder}").format(folder=result.path.parent)
    if locked:
        # Said only inside the locked ZIP's README.txt, which the officer cannot read until
        # the ZIP is open: a Windows computer with nothing added would say it cannot open it.
        text += "\n" + tr(
            "Tell the officer it opens with 7-Zip (free) or WinZip: the ZIP tool "
            "built into Windows cannot open a ZIP locked with a passphrase.")
    else:
        # Beside the case, under a name that says whose it is, every picture readable.
        text += "\n" + (tr(
            "These files are not locked with a passphrase: anyone who can use this computer "
            "can open them. Once the police have them, you can delete them; the case keeps "
            "everything.") if result.parts else tr(
            "The ZIP is not locked with a passphrase: anyone who can use this computer can "
            "open it. Once the police have it, you can delete it; the case keeps everything."))
    return text


def already_there_words(portal: bool) -> str:
    """Said when the bundle's name is taken: a file may be replaced, a pack's folder never."""
    if portal:
        return tr("A folder with that name is already there. Choose another name.")
    return tr("A file with that name is already there. Replace it, or choose another name.")


def folder_not_opened_words(result: ExportResult, *, locked: bool) -> str:
    """Said when no file manager answered "Show in folder" (a bare desktop, a locked-down
    office machine): the click must not seem to do nothing."""
    return result_text(result, locked=locked) + "\n" + tr(
        "The folder could not be opened from here. You can find it yourself: its path is "
        "above, and you can select and copy it.")
