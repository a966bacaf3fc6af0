"""Pages that are not chats: a Western Union receipt, a bank app's payment screen, webmail.

The receipt shows the MTCN in big bold digits on a tinted panel, as the real page does,
beside the person's own name and phone (the sender: negatives) and the browser's address
bar (a negative link). The bank screen shows the payee's sort code and account, or an IBAN
that may wrap onto a second line. The e-mail has the offender's address on its From line and
the person's own on its To line.
"""

from __future__ import annotations

import datetime
import random

from benchmarks.ocr_realistic import values
from benchmarks.ocr_realistic.chats import theirs_name
from benchmarks.ocr_realistic.frame import Page, avatar, browser_bar, esc, size, status_bar
from benchmarks.ocr_realistic.values import Planted, mine, theirs


def _row(page: Page, label: str, value: str, *planted: Planted, big: bool = False) -> str:
    weight = "font-size:30px;font-weight:800;letter-spacing:1px" if big else "font-size:15px"
    return (f"<div style='margin:10px 0'><div style='color:#666;font-size:13px'>{esc(label)}"
            f"</div><div{page.mark(*planted)} style='{weight}'>{esc(value)}</div></div>")


def _day(rng: random.Random) -> str:
    moment = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(500))
    return moment.strftime(rng.choice(["%-d %B %Y", "%d/%m/%Y", "%b %-d, %Y"]))


def receipt_page(rng: random.Random, device: str) -> Page:
    width, height, scale = size(rng, device)
    page = Page("western-union", device, width, height, scale)
    sender, receiver = values.person(rng), values.person(rng)
    own_phone, code = values.plus_phone(rng), values.mtcn(rng)
    amount = rng.choice(["£250.00", "£300.00", "£150.00", "£500.00"])
    fee, day = rng.choice(["£4.90", "£0.00", "£2.90"]), _day(rng)
    url = "https://www.westernunion.com/gb/en/send-money/receipt.html"
    top = browser_bar(page, url, "Western Union - Receipt") if device == "desktop" else (
        status_bar(rng, page, False))
    tint = rng.choice(["#fff4c2", "#f3f3f3", "#fffbe6"])
    panel = (
        f"<div data-keep='1' style='background:{tint};padding:18px 22px;border-radius:6px;"
        "margin:16px 0'>"
        "<div style='font-size:14px;color:#333'>Tracking number (MTCN)</div>"
        f"<div{page.mark(theirs('mtcn', code))} style='font-size:"
        f"{40 if device == 'desktop' else 32}px;font-weight:900;letter-spacing:2px'>"
        f"{esc(code)}</div>"
        "<div style='font-size:12px;color:#555'>Share this number with your receiver only."
        "</div></div>"
    )
    rows = "".join([
        _row(page, "Sender", sender, mine("name", sender)),
        _row(page, "Sender phone", own_phone, mine("phone", own_phone)),
        _row(page, "Receiver", receiver, theirs_name(receiver)),
        _row(page, "Receiver country", rng.choice(["Nigeria", "Ghana", "Côte d'Ivoire"])),
        _row(page, "Amount sent", amount, mine("amount", amount)),
        _row(page, "Transfer fee", fee, mine("amount", fee)),
        _row(page, "Date", day, mine("date-time", day)),
    ])
    column = "width:640px;margin:0 auto" if device == "desktop" else "padding:0 18px"
    page.css = "body{background:#fff;color:#000;font-size:15px;display:flex;flex-direction:column}"
    page.body = (
        f"{top}<div style='background:#000;color:#ffdd00;padding:14px 24px;font-weight:800;"
        "font-size:22px'>WESTERN UNION <span style='color:#fff;font-weight:400;font-size:14px;"
        "float:right'>Send money &nbsp; Track transfer &nbsp; Log out</span></div>"
        f"<div class='fit tail' style='{column};flex:1;min-height:0'><h2 style='margin-top:22px;"
        f"font-size:24px'>Thank you. Your money is on its way.</h2>{panel}{rows}</div>"
    )
    return page


def bank_page(rng: random.Random, device: str) -> Page:
    width, height, scale = size(rng, "phone")
    page = Page("bank", "phone", width, height, scale)
    payee, amount = values.person(rng), rng.choice(["£250.00", "£480.00", "£95.00", "£1,200.00"])
    if rng.random() < 0.5:
        code, account = values.sort_code(rng), values.digits(rng, 8)
        planted = theirs("bank-account", f"{code} {account}")
        details = (
            f"<div{page.mark(planted)}><div style='color:#666;font-size:13px;margin-top:12px'>"
            f"Sort code</div><div style='font-size:17px'>{code}</div>"
            "<div style='color:#666;font-size:13px;margin-top:12px'>Account number</div>"
            f"<div style='font-size:17px'>{account}</div></div>"
        )
    else:
        # A narrow value column: a long IBAN wraps onto a second line, as in many apps.
        number = values.gb_iban(rng)
        details = (
            "<div style='color:#666;font-size:13px;margin-top:12px'>IBAN</div>"
            f"<div{page.mark(theirs('iban', number))} style='font-size:17px;width:"
            f"{rng.choice([190, 230, 320])}px'>{esc(number)}</div>"
        )
    own_account = f"****{values.digits(rng, 4)}"
    day = _day(rng)
    page.css = "body{background:#f4f6f8;color:#111;font-family:Roboto,sans-serif}"
    page.body = (
        f"{status_bar(rng, page, False)}"
        "<div style='background:#006a4d;color:#fff;padding:16px 18px;font-size:19px;"
        "font-weight:600'>← &nbsp; Payment sent</div>"
        "<div style='margin:14px;background:#fff;border-radius:12px;padding:16px 18px;"
        "box-shadow:0 1px 3px rgba(0,0,0,.15)'>"
        f"<div style='display:flex;gap:12px;align-items:center'>{avatar(rng, payee, 44)}"
        f"<div{page.mark(theirs_name(payee))} style='font-size:18px;font-weight:600'>"
        f"{esc(payee)}</div></div>{details}"
        "<div style='color:#666;font-size:13px;margin-top:12px'>Amount</div>"
        f"<div{page.mark(mine('amount', amount))} style='font-size:26px;font-weight:700'>"
        f"{esc(amount)}</div>"
        "<div style='color:#666;font-size:13px;margin-top:12px'>From</div>"
        f"<div style='font-size:15px'>Current account {own_account}</div>"
        "<div style='color:#666;font-size:13px;margin-top:12px'>Date</div>"
        f"<div{page.mark(mine('date-time', day))} style='font-size:15px'>{esc(day)}</div>"
        "<div style='color:#666;font-size:13px;margin-top:12px'>Reference</div>"
        f"<div style='font-size:15px'>{rng.choice(['gift', 'rent', 'loan back', 'thanks'])}</div>"
        "</div><div style='margin:18px;text-align:center;color:#006a4d;font-weight:600'>"
        "Share receipt &nbsp; · &nbsp; Done</div>"
    )
    return page


def mail_page(rng: random.Random, device: str) -> Page:
    width, height, scale = size(rng, "desktop")
    page = Page("webmail", "desktop", width, height, scale)
    sender, own = values.person(rng), values.email_address(rng)
    address, day = values.email_address(rng), _day(rng)
    lines = [values.offender_line(rng, k) for k in rng.sample(
        ["phone", "skype-id", "profile", "mtcn", "prose-handle"], 2)]
    filler = rng.sample(values.FILLER, 3)
    body = "".join(
        f"<p{page.mark(*said.planted)} style='margin:10px 0'>{esc(said.text)}</p>"
        for said in [values.Said(filler[0]), lines[0], values.Said(filler[1]), lines[1],
                     values.Said(filler[2])]
    )
    folders = "".join(f"<div style='padding:7px 24px'>{f}</div>" for f in
                      ["Inbox 3", "Starred", "Snoozed", "Sent", "Drafts", "Spam", "Bin"])
    page.css = "body{background:#f6f8fc;color:#1f1f1f;font-size:14px}"
    page.body = (
        f"{browser_bar(page, 'https://mail.example.com/mail/u/0/#inbox', 'Inbox - Mail')}"
        "<div style='display:flex;height:100%'><div style='width:230px;flex:none'>"
        "<div style='margin:12px 16px;background:#c2e7ff;border-radius:16px;padding:16px'>"
        f"✎ Compose</div>{folders}</div>"
        "<div style='flex:1;background:#fff;border-radius:16px;margin:0 16px 16px 0;padding:20px'>"
        f"<div style='font-size:22px;margin-bottom:18px'>{esc(rng.choice(FILLER_SUBJECTS))}"
        "</div><div style='display:flex;gap:12px'>"
        f"{avatar(rng, sender, 40)}<div style='flex:1'>"
        f"<b{page.mark(theirs_name(sender))}>{esc(sender)}</b> "
        f"<span{page.mark(theirs('email', address))} style='color:#5e5e5e;font-size:12px'>"
        f"&lt;{esc(address)}&gt;</span>"
        f"<div{page.mark(mine('email', own))} style='color:#5e5e5e;font-size:12px'>to "
        f"{esc(own)}</div></div><div{page.mark(mine('date-time', day))} style='color:#5e5e5e;"
        f"font-size:12px'>{esc(day)}</div></div><div style='margin-left:52px'>{body}</div>"
        "</div></div>"
    )
    return page


FILLER_SUBJECTS = ("Your pictures", "Last warning", "re: pay now", "I know who you are")
