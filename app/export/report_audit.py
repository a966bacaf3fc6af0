"""The audit log in the report, summarised: how many events of each kind, the first and the
last, who made them, and the state of the hash chain with its head. Every event, with its
hash, is in csv/audit.csv; manifest.json holds the chain head, so a third party can repeat
the check (ACPO principle 3) without reading pages of rows here.
"""

from collections import Counter
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.export.casedata import AuditRow, CaseSnapshot
from app.export.formatting import utc_text
from app.export.report_sections import Story, section_title
from app.export.report_style import Styles, data_table, key_value_table, markup
from app.export.report_values import OneLine
from app.i18n import tr, tr_n


def _event_text(a: AuditRow) -> str:
    return tr("{when} · {action} · by {who} (event {id})").format(
        when=utc_text(a.at), action=a.action, who=a.actor, id=a.id)


def audit_summary(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Appendix: audit log (summary)"))
    chain = snap.chain
    if chain.first_broken_id is None:
        state = tr_n("The hash chain of the %n event verifies: it was not changed after it was "
                     "written.",
                     "The hash chain of all %n events verifies: no event was changed, removed "
                     "or inserted after it was written.", chain.events)
    else:
        state = tr("The hash chain does NOT verify at event {id}: {problem}.").format(
            id=chain.first_broken_id, problem=chain.problem or "")
    story.append(styles.p(escape(tr(
        "Safekeep records every change made to the case in an audit log; each event includes "
        "the SHA-256 of the one before it. It is summarised here. Every event, with its time, "
        "who made it, what it changed and its hash, is in csv/audit.csv; manifest.json holds "
        "the chain head.")), styles.muted))
    story.append(Spacer(1, 2 * mm))
    rows: list[tuple[str, Any]] = [
        (tr("Hash chain"), styles.v(state, styles.small)),
        (tr("Chain head"), OneLine(chain.head, size=8, mono=True)),
    ]
    counts, actors, first_at, last_at = audit_tally(snap)
    first, last = snap.audit.first, snap.audit.last
    if first is not None and last is not None:
        rows += [(tr("First event"), styles.v(_event_text(first), styles.small)),
                 (tr("Last event"), styles.v(_event_text(last), styles.small))]
        who = "; ".join(f"{actor} ({n})" for actor, n in actors.most_common(8))
        if len(actors) > 8:
            who += "; " + tr_n("and %n more", "and %n more", len(actors) - 8)
        rows.append((tr("Recorded by"), styles.v(who, styles.small)))
    story.append(key_value_table(styles, rows, 30 * mm))
    if not counts:
        return story
    table_rows = [[styles.p(markup(action), styles.cell),
                   styles.v(f"{counts[action]:,}", styles.cell_right),
                   styles.v(utc_text(first_at[action].at, seconds=False)),
                   styles.v(utc_text(last_at[action].at, seconds=False))]
                  for action in sorted(counts)]
    header = [tr("Action"), tr("Events"), tr("First"), tr("Last")]
    story += [Spacer(1, 3 * mm),
              data_table(styles, header, table_rows, [70 * mm, 20 * mm, 40 * mm, 40 * mm],
                         numeric=(1,))]
    return story


_Tally = tuple[Counter[str], Counter[str], dict[str, AuditRow], dict[str, AuditRow]]


def audit_tally(snap: CaseSnapshot) -> _Tally:
    """Events per action and per actor, and each action's first and last event: one walk of
    the log (it is read again from the case, not held), made once per snapshot. The export
    makes it before the report is drawn in a process of its own, which cannot read the case
    (app/export/report_process.py)."""
    if "audit_tally" not in snap.memo:
        first_at: dict[str, AuditRow] = {}
        last_at: dict[str, AuditRow] = {}
        counts: Counter[str] = Counter()
        actors: Counter[str] = Counter()
        for a in snap.audit:
            counts[a.action] += 1
            actors[a.actor] += 1
            first_at.setdefault(a.action, a)
            last_at[a.action] = a
        snap.memo["audit_tally"] = (counts, actors, first_at, last_at)
    tally: _Tally = snap.memo["audit_tally"]
    return tally
