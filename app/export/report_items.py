"""The report's evidence catalogue: one row per item, drawn on the canvas by `RowTable`.

A Table of Paragraphs per item cost about 6 ms an item (a minute for 10,000); these rows are
laid out once with plain text calls. Pictures are not here: each has its own page after the
catalogue (report_pictures.py), so a row only says where to find it. Values are drawn as text,
never parsed as markup (see report_rows.py).
"""

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.core.records import EvidenceRow
from app.export.casedata import CaseSnapshot
from app.export.formatting import size_text, utc_text
from app.export.report_pictures import is_picture
from app.export.report_rows import LazyRows, RowTable, Text
from app.export.report_sections import Story, section_title
from app.export.report_style import LONG_LIMIT, TEXT_WIDTH, Styles
from app.export.report_values import cut_text
from app.i18n import tr, tr_n

_REF_W = 22 * mm
_WIDTHS = [_REF_W, TEXT_WIDTH - _REF_W]
_MAX_LINKED = 12
_WHERE = "csv/evidence.csv"


def _times(e: EvidenceRow) -> str:
    parts = [tr("added {t}").format(t=utc_text(e.acquired_at))]
    if e.file_modified_at:
        parts.append(tr("file modified {t}").format(t=utc_text(e.file_modified_at)))
    if e.file_created_at:
        parts.append(tr("file created {t}").format(t=utc_text(e.file_created_at)))
    if e.exif_taken_at:
        parts.append(tr("taken {t} (camera time, time zone unknown)").format(t=e.exif_taken_at))
    if e.exif_camera:
        parts.append(tr("camera {c}").format(c=e.exif_camera))
    return "; ".join(parts)


def _details(e: EvidenceRow, snap: CaseSnapshot, evidence_files: dict[int, str]) -> list[Text]:
    cell = [Text(e.original_name, "bold", fit=True),
            Text(tr("SHA-256") + " " + e.sha256, "mono", fit=True)]
    file_in_bundle = evidence_files.get(e.id)
    if file_in_bundle:
        cell.append(Text(tr("File in bundle: {name}").format(name=file_in_bundle), "muted",
                         fit=True))
    else:
        cell.append(Text(tr("Withheld: marked sensitive (intimate image). The hash above "
                            "identifies it."), "muted"))
    kind = f"{e.kind} · {e.detected_type}"
    if e.width and e.height:
        kind += f" · {e.width} × {e.height}"
    kind += " · " + size_text(e.size)
    source = e.source + (f" · {e.platform}" if e.platform else "")
    cell += [Text(kind + " · " + source), Text(_times(e), "muted")]
    if e.type_note:
        cell.append(Text(e.type_note, "muted"))
    if e.description.strip():
        cell.append(Text(cut_text(e.description, LONG_LIMIT, _WHERE)))
    linked = snap.identifiers_by_evidence().get(e.id, [])
    for ident in linked[:_MAX_LINKED]:
        cell.append(Text(f"{ident.type.label}: {cut_text(ident.value, 200, 'csv/identifiers.csv')}",
                         fit=True))
    if len(linked) > _MAX_LINKED:
        cell.append(Text(tr_n("and %n more (see csv/identifiers.csv)",
                              "and %n more (see csv/identifiers.csv)",
                              len(linked) - _MAX_LINKED), "muted"))
    if e.preview_note and e.preview_status != "ok":
        cell.append(Text(e.preview_note, "muted"))
    elif is_picture(e) and not e.sensitive:
        cell.append(Text(tr("Its picture is on a page of its own after this catalogue."),
                         "muted"))
    return cell


def evidence_catalogue(snap: CaseSnapshot, styles: Styles,
                       evidence_files: dict[int, str]) -> Story:
    story = section_title(styles, tr("Evidence catalogue"), 70 * mm)
    if not snap.evidence:
        return [*story, styles.p(escape(tr("No evidence items were recorded.")), styles.muted)]
    withheld = len(snap.withheld_ids)
    intro = tr("Every item in the case, in the order it was added. The SHA-256 was taken when "
               "the item was added and checked again when this bundle was made.")
    if withheld:
        intro += " " + tr_n("%n item marked sensitive is listed with its hash; its file is "
                            "not in this bundle and its picture is not shown.",
                            "%n items marked sensitive are listed with their hashes; their "
                            "files are not in this bundle and their pictures are not shown.",
                            withheld)
    if any(is_picture(e) for e in snap.evidence):
        intro += " " + tr("After the catalogue, each picture has a page of its own, made from "
                          "the original by Safekeep (the originals are in the bundle, "
                          "unchanged). The text beside or under a picture was read by machine "
                          "and may contain errors: the picture itself is the evidence.")
    story.append(styles.p(escape(intro), styles.muted))
    story.append(Spacer(1, 2 * mm))
    def row(e: EvidenceRow) -> list[list[Text]]:
        ref = [Text(snap.exhibit(e.id), "bold", fit=True)]
        if e.sensitive:
            ref.append(Text(tr("sensitive"), "muted"))
        return [ref, _details(e, snap, evidence_files)]

    story.append(RowTable([tr("Exhibit"), tr("Item")], _WIDTHS, LazyRows(snap.evidence, row)))
    return story
