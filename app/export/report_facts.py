"""Facts drawn from the case for the report's first page and its sections: the offender's
details in the order officers act on them, the hints Safekeep gives about odd-looking values,
the platforms used, the reference numbers, and the period of the offence.

No layout here: report_keyfacts.py and report_sections.py lay these out.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from app.core.identifiers import (
    IdentifierType,
    canonical_platform,
    help_explains_link,
    normalise,
    platform_label,
)
from app.core.reading import plainly_another_type
from app.core.records import (
    IdentifierRow,
    PaymentRow,
    amount_text,
    kind_label,
    reference_warnings,
)
from app.export.casedata import CaseSnapshot
from app.export.chronology import Basis, Entry, Source
from app.export.formatting import chat_time_text, split_time, utc_text
from app.i18n import tr, tr_n
from app.models import PaymentMethod, PaymentStatus

# The order an officer acts on them: accounts to preserve and trace first, money trails next,
# the names they used (often false) last.
PRIORITY: tuple[IdentifierType, ...] = (
    IdentifierType.SKYPE_ID,
    IdentifierType.SKYPE_NAME,
    IdentifierType.FACEBOOK,
    IdentifierType.USERNAME,
    IdentifierType.EMAIL,
    IdentifierType.PHONE,
    IdentifierType.BANK_ACCOUNT,
    IdentifierType.IBAN,
    IdentifierType.MTCN,
    IdentifierType.MONEYGRAM,
    IdentifierType.CRYPTO_WALLET,
    IdentifierType.GIFT_CARD,
    IdentifierType.URL,
    IdentifierType.NAME,
    IdentifierType.OTHER,
)

# Kinds that name their platform already ("Skype ID"): it is not said again beside the value.
PLATFORM_IN_KIND = frozenset({IdentifierType.SKYPE_ID, IdentifierType.SKYPE_NAME,
                              IdentifierType.FACEBOOK})

# Drawn in the monospaced font (0 and O, l and 1 told apart): codes and handles, not names or
# links (links are long, and a narrower font keeps them on one line).
MONO_TYPES = frozenset({
    IdentifierType.SKYPE_ID, IdentifierType.USERNAME, IdentifierType.EMAIL, IdentifierType.PHONE,
    IdentifierType.BANK_ACCOUNT, IdentifierType.IBAN, IdentifierType.MTCN,
    IdentifierType.MONEYGRAM, IdentifierType.CRYPTO_WALLET, IdentifierType.GIFT_CARD,
})


def by_priority(identifiers: Iterable[IdentifierRow]) -> list[tuple[IdentifierType,
                                                                    list[IdentifierRow]]]:
    groups: dict[IdentifierType, list[IdentifierRow]] = {}
    for ident in identifiers:
        groups.setdefault(ident.type, []).append(ident)
    return [(kind, groups[kind]) for kind in PRIORITY if kind in groups]


_TRANSFER_SERVICES = frozenset({PaymentMethod.WESTERN_UNION, PaymentMethod.MONEYGRAM})
_OVER = frozenset({PaymentStatus.COLLECTED, PaymentStatus.CANCELLED})


def _urgency(payment: PaymentRow) -> int:
    """0 is the most urgent to act on: a transfer not known to be collected can still be
    stopped; a bank transfer can be frozen or recalled; then anything not known to be over."""
    if payment.method in _TRANSFER_SERVICES and payment.status not in _OVER:
        return 0
    if payment.method is PaymentMethod.BANK_TRANSFER and payment.status is not \
            PaymentStatus.CANCELLED:
        return 1
    return 2 if payment.status not in _OVER else 3


def payments_to_act_on(payments: list[PaymentRow], room: int) -> list[PaymentRow]:
    """The `room` payments an officer can still do most about, in the order given (the
    snapshot's: by date). With room for all, all: page 1 then shows every one."""
    if len(payments) <= room:
        return payments
    by_urgency = sorted(range(len(payments)), key=lambda n: (
        _urgency(payments[n]), -(payments[n].paid_on or date.min).toordinal(), n))
    return [payments[n] for n in sorted(by_urgency[:room])]


def _as_officer_reads(warning: str) -> str:
    """The app's hint without the words meant for the person at the form ("Keep it anyway...",
    "The help explains...")."""
    for meant_for_the_person in (tr("Keep it anyway if it is what you have."),
                                 help_explains_link()):
        warning = warning.replace(meant_for_the_person, "")
    return warning.strip()


def hints(kind: IdentifierType, value: str, platform: str | None = None) -> list[str]:
    """The gentle hints the app shows beside this value (a 9-digit MTCN, a short IBAN...),
    and the type it plainly is when the person saved it as another (a Skype ID kept as a
    Facebook profile), as the app offers it."""
    checked = normalise(kind, value, platform)
    said = [_as_officer_reads(w) for w in checked.warnings]
    # A type the normaliser names itself (a Skype name that is an ID) is in its own words.
    other = plainly_another_type(kind, value) if checked.warnings and \
        checked.better_type is None else None
    if other is not None:
        said.append(tr("By its form, it may be this type instead: {type}.").format(
            type=other.label))
    return said


def reference_hints(payment: PaymentRow) -> list[str]:
    """A Western Union or MoneyGram reference checked as the app checks an MTCN."""
    return [_as_officer_reads(w) for w in reference_warnings(payment.method, payment.reference)]


def shows_normalised(ident: IdentifierRow) -> bool:
    """The normalised form is worth showing only where it says something the value does not."""
    def key(text: str) -> str:
        return "".join(text.split()).casefold()
    return key(ident.normalised) != key(ident.value) and ident.normalised != "\u2205"


def platforms_used(snap: CaseSnapshot) -> list[str]:
    """Every platform the records name (identifiers, their links, evidence, conversations read
    from chat exports), most named first."""
    counts: dict[str, int] = {}
    for conversation in snap.conversations:
        name = canonical_platform(conversation.platform) if conversation.id is not None else None
        if name:
            counts[name] = counts.get(name, 0) + 1
    for ident in snap.identifiers:
        found = ident.platform or normalise(ident.type, ident.value).platform
        if found:
            counts[found] = counts.get(found, 0) + 1
    for item in snap.evidence:
        if item.platform:
            counts[item.platform] = counts.get(item.platform, 0) + 1
    ordered = sorted(counts, key=lambda name: (-counts[name], name.casefold()))
    return [platform_label(name) for name in ordered]


def crime_reference(snap: CaseSnapshot) -> str:
    if snap.summary.crime_reference and snap.summary.crime_reference.strip():
        return snap.summary.crime_reference
    for entry in snap.checklist.entries:
        if entry.item.reference_fills == "crime-reference" and entry.reference.strip():
            return entry.reference
    return ""


def other_references(snap: CaseSnapshot) -> list[tuple[str, str]]:
    """(what it is, the number) from the checklist: platform reports, the bank's case..."""
    crime = crime_reference(snap).strip()
    found = []
    for entry in snap.checklist.entries:
        number = entry.reference.strip()
        if not number or (entry.item.reference_fills == "crime-reference" and number == crime):
            continue
        found.append((entry.item.reference_label or entry.item.title, entry.reference))
    return found


def entry_basis_words(entry: Entry, snap: CaseSnapshot) -> str:
    """What an entry of the chronology is, in a few words, for the period of the offence."""
    if entry.source is Source.EVENT and entry.event is not None:
        return kind_label(entry.event.kind)
    if entry.source is Source.PAYMENT:
        return tr("payment, month only") if entry.basis is Basis.MONTH \
            else tr("payment, date only")
    ref = snap.exhibit(entry.evidence_ids[0])
    if entry.source is Source.CONVERSATION:
        which = tr("last message in {ref}") if entry.last else tr("first message in {ref}")
        if split_time(entry.written)[1]:
            return which.format(ref=ref)
        return tr("{which}, no time zone").format(which=which.format(ref=ref))
    if entry.basis is Basis.CAMERA:
        return tr("camera time of {ref}, no time zone").format(ref=ref)
    if entry.basis is Basis.CHAT:
        sent = tr("{ref} sent in a chat").format(ref=ref)
        return sent if split_time(entry.written)[1] else tr("{which}, no time zone").format(
            which=sent)
    return tr("file time of {ref}").format(ref=ref)


def entry_time(entry: Entry, *, seconds: bool = False, about: bool = True) -> str:
    """An entry's time as text, "about ..." when approximate (unless `about` is False)."""
    if entry.basis is Basis.DATE:
        return entry.at.date().isoformat()
    if entry.basis is Basis.MONTH:
        return entry.at.strftime("%Y-%m")
    if entry.basis is Basis.CAMERA:
        return entry.at.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    if entry.basis is Basis.CHAT:
        return chat_time_text(entry.written)
    text = utc_text(entry.at, seconds=seconds)
    if about and entry.basis is Basis.ABOUT:
        return tr("about {time}").format(time=text)
    return text


def period_text(first: Entry, last: Entry, snap: CaseSnapshot) -> str:
    days = (last.at.date() - first.at.date()).days + 1
    return tr("From {first} ({first_what}) to {last} ({last_what}): {days}.").format(
        first=entry_time(first), first_what=entry_basis_words(first, snap),
        last=entry_time(last), last_what=entry_basis_words(last, snap),
        days=tr_n("%n calendar day", "%n calendar days", days))


def money(amounts: dict[str, Decimal]) -> str:
    return ", ".join(f"{amount_text(amount)} {currency}"
                     for currency, amount in sorted(amounts.items()))


def totals_text(snap: CaseSnapshot) -> str:
    totals = snap.totals
    parts = []
    for currency in sorted(totals.paid):
        collected = totals.collected.get(currency, Decimal(0))
        parts.append(tr("{paid} paid, of which {collected} known collected").format(
            paid=f"{amount_text(totals.paid[currency])} {currency}",
            collected=f"{amount_text(collected)} {currency}"))
    text = "; ".join(parts)
    if totals.cancelled:
        cancelled = tr("cancelled: {amounts}").format(amounts=money(totals.cancelled))
        text = f"{text}; {cancelled}" if text else cancelled
    return text
