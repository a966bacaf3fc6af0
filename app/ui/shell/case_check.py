""""Check this case file", in Settings: the window's `safekeep check`. Every item is read back
and compared with the fingerprint taken when it arrived, and the audit log's chain with
itself; a damaged item is named, and the check carries on with the others. Nothing is changed.
It runs in the worker, with progress and a way to stop."""

from PySide6.QtWidgets import QWidget

from app.core.records import CheckReport, check_case
from app.i18n import tr, tr_n
from app.text_safety import visible_line
from app.ui.kit.controller import CaseController
from app.ui.kit.worker import TaskContext
from app.ui.shell.case_task_box import CaseTaskBox

_SHOWN_PROBLEMS = 5  # the first few, then a count: one damaged page can make many lines


class CaseCheckBox(CaseTaskBox):
    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(
            controller, tr("Check this case file"),
            tr("Reads every item back and compares it with the fingerprint taken when it "
               "arrived. Nothing is changed. A large case can take a few minutes."),
            start_text=tr("Check the case file"), stop_text=tr("Stop checking"),
            progress_name=tr("Checking the case file"), parent=parent)

    def begin(self) -> None:
        case = self._controller.require_case()

        def work(ctx: TaskContext) -> CheckReport:
            return check_case(case, lambda done, total: ctx.progress(done, total),
                              ctx.raise_if_cancelled)

        self.run(work, _result_text)


def _result_text(report: CheckReport) -> str:
    assert report.audit is not None
    if report.ok:
        return tr_n("Everything matches: %n item was read back and is as it arrived, and the "
                    "audit log is whole.",
                    "Everything matches: %n items were read back and are as they arrived, and "
                    "the audit log is whole.", report.evidence_checked)
    # Each item's and the audit log's problems, in words, first; the file's own findings
    # (page numbers and b-trees, for whoever helps) only as one sentence: `safekeep check`
    # prints them whole.
    named = report.problems[report.file_problems:]
    lines = [tr("The check found problems. Nothing was changed.")]
    lines += ["• " + visible_line(p) for p in named[:_SHOWN_PROBLEMS]]
    if len(named) > _SHOWN_PROBLEMS:
        lines.append(tr_n("… and %n more.", "… and %n more.", len(named) - _SHOWN_PROBLEMS))
    if report.file_problems:
        lines.append("• " + tr("Part of the case file itself is damaged. The command "
                               "“safekeep check” prints the details for whoever helps you."))
    if report.damaged_items:
        lines.append(tr("A damaged item can no longer be read from this case file. If you "
                        "still have the original, add it again. A bundle made now leaves "
                        "damaged items out and says so in its report."))
    lines.append(tr("Keep this case file as it is, and ask your caseworker or the police for "
                    "help if you are unsure."))
    return "\n".join(lines)
