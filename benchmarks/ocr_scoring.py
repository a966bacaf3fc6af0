"""Precision and recall of the OCR candidates against the corpus labels, per kind.

A page's result is compared as sets of (kind, normalised), the same key the rules
de-duplicate by: a candidate whose pair is in the labels is a true positive, one that is not
is a false positive (even if the value is right and only the kind is wrong), and a label
nothing matched is a false negative.

Besides each kind, one group is scored, "profile URL": every link (kinds `facebook` and
`url`) and every username tied to a named platform (a `username` key "platform:handle",
or the link itself for a site Safekeep does not know). A username found from a link and the
same username found from "Instagram: @x" have the same key, so the corpus cannot tell them
apart; both point police at one profile on one platform, which is what the group measures.
A bare "@handle" with no platform is only scored under `username`.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.reading.candidates import Candidate

PROFILE_URL = "profile URL"

Label = tuple[str, str]
Score = tuple[int, int, int, float, float]  # true pos., false pos., false neg., precision, recall


def groups(kind: str, normalised: str) -> tuple[str, ...]:
    """The rows of the report a (kind, normalised) pair counts in."""
    if kind in ("facebook", "url") or (kind == "username" and ":" in normalised):
        return kind, PROFILE_URL
    return (kind,)


def score(results: Iterable[tuple[frozenset[Label], list[Candidate]]]) -> dict[str, Score]:
    """Per kind and group: (tp, fp, fn, precision, recall). Precision is 1.0 when nothing
    was proposed, recall 1.0 when nothing was expected: no claim, no miss."""
    counts: dict[str, list[int]] = {}
    for expected, candidates in results:
        found = {(c.kind, c.normalised) for c in candidates}
        for pair, slot in [(p, 0) for p in found & expected] + [(p, 1) for p in found - expected]:
            for group in groups(*pair):
                counts.setdefault(group, [0, 0, 0])[slot] += 1
        for pair in expected - found:
            for group in groups(*pair):
                counts.setdefault(group, [0, 0, 0])[2] += 1
    return {
        group: (tp, fp, fn, tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
        for group, (tp, fp, fn) in sorted(counts.items())
    }


def table(scores: dict[str, Score]) -> str:
    """The scores as a Markdown table."""
    rows = [
        "| kind | found right | wrong | missed | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for group, (tp, fp, fn, precision, recall) in scores.items():
        rows.append(f"| {group} | {tp} | {fp} | {fn} | {precision:.3f} | {recall:.3f} |")
    return "\n".join(rows)
