"""Ready-to-paste texts built from a case: for a police report form, a platform's report
form, and a call to the bank.

The facts come in as plain values (`CaseFacts`), so this needs no database and no Qt. The
output is plain text for a person to paste or read out. Values come from criminals and may be
crafted: they are never interpreted (markup and formulas stay as typed), but each value is
made one line and loses its hidden characters (`app.text_safety.pasteable_line`), so it cannot
start a new line that looks like one of ours (a fake "Crime reference:"), nor hide or reorder
text with control, bidi or zero-width characters in the form it is pasted into.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.i18n import tr
from app.text_safety import pasteable_line


class IdentifierFact(NamedTuple):
    """A detail the offender used. `type_label` may be a keyword ("skype-id") or a label."""

    type_label: str
    value: str
    platform: str | None = None


class PaymentFact(NamedTuple):
    """A payment made. `method` and `status` may be keywords ("western-union") or labels."""

    date: str | None
    amount: str
    currency: str
    method: str
    reference: str | None = None
    status: str = "unknown"
    recipient: str | None = None


@dataclass(frozen=True)
class CaseFacts:
    display_name: str
    under_18: bool = False
    first_contact: str | None = None
    identifiers: Sequence[IdentifierFact] = ()
    payments: Sequence[PaymentFact] = ()
    evidence_count: int = 0
    crime_reference: str | None = None

    def __post_init__(self) -> None:
        # Accept plain tuples too, and keep our own immutable copy of the caller's lists.
        object.__setattr__(
            self, "identifiers", tuple(IdentifierFact(*entry) for entry in self.identifiers)
        )
        object.__setattr__(self, "payments", tuple(PaymentFact(*entry) for entry in self.payments))


def one_line(value: str | None) -> str:
    """One value as one line of plain text (see the module docstring for why)."""
    return "" if value is None else pasteable_line(value)


def _given(value: str | None) -> str | None:
    """The plain value, or None when nothing usable was given."""
    cleaned = one_line(value)
    return cleaned or None


# Keyword labels are built when asked, not at import, so the translator installed at start-up
# applies (and so each string is a literal `tr()` call that translation tools can find).
def _identifier_labels() -> dict[str, str]:
    return {
        "facebook": tr("Facebook profile"),
        "skype-name": tr("Skype name"),
        "skype-id": tr("Skype ID"),
        "username": tr("Username"),
        "email": tr("E-mail address"),
        "phone": tr("Phone number"),
        "bank-account": tr("Bank account"),
        "iban": tr("IBAN"),
        "mtcn": tr("Western Union MTCN"),
        "moneygram": tr("MoneyGram reference"),
        "crypto-wallet": tr("Crypto wallet"),
        "gift-card": tr("Gift card"),
        "url": tr("Link where images are shared"),
        "name": tr("Name used"),
        "other": tr("Other detail"),
    }


def _method_labels() -> dict[str, str]:
    return {
        "western-union": tr("Western Union"),
        "moneygram": tr("MoneyGram"),
        "bank-transfer": tr("bank transfer"),
        "card": tr("card"),
        "paypal": tr("PayPal"),
        "gift-card": tr("gift card"),
        "crypto": tr("cryptocurrency"),
        "other": tr("another method"),
    }


def _status_labels() -> dict[str, str]:
    return {
        "sent": tr("sent"),
        "collected": tr("collected"),
        "not-collected": tr("not collected"),
        "cancelled": tr("cancelled"),
        "unknown": tr("not known"),
    }


def _label(value: str, labels: dict[str, str]) -> str:
    cleaned = one_line(value)
    return labels.get(cleaned.casefold(), cleaned) or tr("not given")


def _is_bank_detail(identifier: IdentifierFact) -> bool:
    key = one_line(identifier.type_label).casefold()
    labels = _identifier_labels()
    bank_keys = ("bank-account", "iban")
    return key in bank_keys or key in {labels[k].casefold() for k in bank_keys}


def _identifier_line(identifier: IdentifierFact) -> str:
    label = _label(identifier.type_label, _identifier_labels())
    value = one_line(identifier.value) or tr("(blank)")
    platform = _given(identifier.platform)
    if platform is None:
        return tr("- {label}: {value}").format(label=label, value=value)
    return tr("- {label}: {value} (on {platform})").format(
        label=label, value=value, platform=platform
    )


def _payment_line(payment: PaymentFact) -> str:
    parts = [
        tr("{amount} {currency} by {method}").format(
            amount=one_line(payment.amount) or tr("amount not given"),
            currency=one_line(payment.currency),
            method=_label(payment.method, _method_labels()),
        )
    ]
    recipient = _given(payment.recipient)
    if recipient is not None:
        parts.append(tr("to {recipient}").format(recipient=recipient))
    date = _given(payment.date)
    if date is not None:
        parts.append(tr("on {date}").format(date=date))
    line = " ".join(parts)
    reference = _given(payment.reference)
    if reference is not None:
        line += tr("; reference or MTCN: {reference}").format(reference=reference)
    line += tr("; status: {status}").format(status=_label(payment.status, _status_labels()))
    return "- " + line


def _facts_lines(case: CaseFacts) -> list[str]:
    lines = []
    if case.under_18:
        lines.append(tr("I am under 18."))
    first_contact = _given(case.first_contact)
    if first_contact is not None:
        lines.append(tr("First contact: {date}").format(date=first_contact))
    return lines


def _crime_reference_line(case: CaseFacts) -> str:
    reference = _given(case.crime_reference)
    if reference is None:
        return tr("I am also reporting this to the police.")
    return tr("I have reported this to the police. Crime reference: {reference}").format(
        reference=reference
    )


def police_summary(case: CaseFacts) -> str:
    """A factual summary to paste into a police online report form, or read out on 101."""
    lines = [
        tr("Online blackmail (sextortion): summary for police"),
        "",
        tr("Case: {name}").format(name=one_line(case.display_name) or tr("(no name)")),
        *_facts_lines(case),
    ]
    reference = _given(case.crime_reference)
    if reference is not None:
        lines.append(tr("Crime reference: {reference}").format(reference=reference))
    lines += [
        "",
        tr(
            "Someone online is threatening to share intimate images or video of me "
            "unless money is paid."
        ),
        "",
        tr("Details they used:"),
    ]
    lines += [_identifier_line(i) for i in case.identifiers] or [tr("- None saved yet.")]
    lines += ["", tr("Payments:")]
    lines += [_payment_line(p) for p in case.payments] or [tr("- No payments recorded.")]
    lines += ["", tr("Evidence:")]
    if case.evidence_count == 1:
        lines.append(
            tr(
                "1 item (a screenshot or file) is kept unchanged in an encrypted case file, "
                "with a SHA-256 hash. I can give officers a case bundle."
            )
        )
    elif case.evidence_count > 1:
        lines.append(
            tr(
                "{count} items (screenshots and files) are kept unchanged in an encrypted "
                "case file, each with a SHA-256 hash. I can give officers a case bundle."
            ).format(count=case.evidence_count)
        )
    else:
        lines.append(tr("No evidence files have been saved yet."))
    return "\n".join(lines) + "\n"


def platform_report(case: CaseFacts, platform: str | None = None) -> str:
    """A report for a site or app's report form; with `platform`, its accounts come first."""
    wanted = _given(platform)
    on_platform: list[IdentifierFact] = []
    elsewhere: list[IdentifierFact] = []
    for identifier in case.identifiers:
        where = _given(identifier.platform)
        same = wanted is not None and where is not None and where.casefold() == wanted.casefold()
        (on_platform if same else elsewhere).append(identifier)

    lines = [
        tr("Report: blackmail with intimate images (sextortion)"),
        "",
        tr(
            "I am being blackmailed. Someone is threatening to share intimate images or video "
            "of me, without my consent, unless I pay them."
        ),
    ]
    if case.under_18:
        lines.append(tr("I am under 18."))
    if on_platform:
        lines += ["", tr("Their account on {platform}:").format(platform=wanted)]
        lines += [_identifier_line(i) for i in on_platform]
    if elsewhere:
        heading = tr("Other details they used:") if on_platform else tr("Details they used:")
        lines += ["", heading]
        lines += [_identifier_line(i) for i in elsewhere]
    lines += [
        "",
        tr("Please:"),
        tr("- remove any intimate images or video of me shared without my consent;"),
        tr("- block them from being uploaded again, and alert me if they appear again;"),
        tr("- suspend the account, and keep its data for the police."),
        "",
        _crime_reference_line(case),
    ]
    return "\n".join(lines) + "\n"


def bank_call_script(case: CaseFacts, payments: Sequence[PaymentFact] | None = None) -> str:
    """What to say when calling the bank; `payments` defaults to all of the case's."""
    chosen = case.payments if payments is None else tuple(PaymentFact(*p) for p in payments)
    lines = [
        tr("Calling your bank: what to say"),
        "",
        tr("You can read this out. Take your time. It is fine to say you are upset."),
        "",
        tr(
            '"Hello. I am calling because I have been blackmailed online, and I sent money '
            'to the people doing it. I would like to report the payments and ask what you can do."'
        ),
        "",
        tr("The payments:"),
    ]
    lines += [_payment_line(p) for p in chosen] or [tr("- (add the payments in Safekeep)")]
    bank_details = [i for i in case.identifiers if _is_bank_detail(i)]
    if bank_details:
        lines += ["", tr("The account they told me to pay into:")]
        lines += [_identifier_line(i) for i in bank_details]
    lines += [
        "",
        tr("Ask them:"),
        tr("- Can any of these payments still be stopped or recalled?"),
        tr("- Can you flag the account the money went to?"),
        tr("- What is the case number for this call? (Save it in Safekeep.)"),
        "",
        _crime_reference_line(case),
        "",
        tr(
            "They may not be able to get the money back. Telling them still helps them "
            "and the police."
        ),
    ]
    return "\n".join(lines) + "\n"
