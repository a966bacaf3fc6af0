"""Chat apps as HTML: WhatsApp, Instagram, Messenger, Snapchat, Telegram and Skype.

One layout with each app's colours and quirks: WhatsApp's doodle wallpaper, times and blue
ticks inside the bubble; Instagram's username under the display name in the header and
round blue bubbles; Messenger's "Active now"; Snapchat's coloured sender names instead of
bubbles; Telegram's busy patterned wallpaper; Skype's profile panel with the live: ID.
On desktop, a list of chats at the side (other people's names: negatives).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from benchmarks.ocr_realistic import values
from benchmarks.ocr_realistic.frame import Page, avatar, browser_bar, esc, size, status_bar
from benchmarks.ocr_realistic.values import Planted, Said, mine, theirs


@dataclass(frozen=True)
class Look:
    app: str
    dark: bool
    background: str  # CSS for the message area: a colour, or a wallpaper
    panel: str  # header, side list and composer
    text: str
    muted: str
    incoming: str
    outgoing: str
    outgoing_text: str
    radius: int
    url: str  # the web app's address, for the browser bar


def _wallpaper_whatsapp(dark: bool) -> str:
    base, ink = ("#0b141a", "rgba(255,255,255,.05)") if dark else ("#efeae2", "rgba(0,0,0,.06)")
    # Layers first, the colour last: a colour in an earlier layer voids the whole value.
    return (f"radial-gradient(circle at 10px 10px,{ink} 3px,transparent 4px) 0 0/38px 38px,"
            f"repeating-linear-gradient(45deg,transparent 0 22px,{ink} 22px 24px),{base}")


# Telegram's default wallpaper: a colourful gradient under a dense doodle pattern.
_TELEGRAM_WALL = (
    "radial-gradient(circle at 12px 12px,rgba(60,90,40,.35) 5px,transparent 6px) 0 0/34px 34px,"
    "radial-gradient(circle at 5px 25px,rgba(40,80,90,.3) 3px,transparent 4px) 7px 3px/29px 29px,"
    "repeating-linear-gradient(60deg,transparent 0 16px,rgba(70,100,40,.22) 16px 18px),"
    "repeating-linear-gradient(-30deg,transparent 0 23px,rgba(30,70,80,.2) 23px 25px),"
    "linear-gradient(135deg,#d5d88d,#88b884 40%,#b6c77a 70%,#6fa98d)"
)


def look(app: str, dark: bool) -> Look:
    if app == "whatsapp":
        if dark:
            return Look(app, dark, _wallpaper_whatsapp(True), "#202c33", "#e9edef", "#8696a0",
                        "#202c33", "#005c4b", "#e9edef", 8, "https://web.whatsapp.com/")
        return Look(app, dark, _wallpaper_whatsapp(False), "#f0f2f5", "#111b21", "#667781",
                    "#ffffff", "#d9fdd3", "#111b21", 8, "https://web.whatsapp.com/")
    if app == "instagram":
        bg, panel, text, incoming = ("#000", "#000", "#f5f5f5", "#262626") if dark else (
            "#fff", "#fff", "#000", "#efefef")
        return Look(app, dark, bg, panel, text, "#a8a8a8", incoming, "#3797f0", "#fff", 22,
                    "https://www.instagram.com/direct/t/" + "1" * 16 + "/")
    if app == "messenger":
        bg, text, incoming = ("#242526", "#e4e6eb", "#3a3b3c") if dark else (
            "#fff", "#050505", "#f0f0f0")
        return Look(app, dark, bg, bg, text, "#65676b", incoming, "#0084ff", "#fff", 18,
                    "https://www.messenger.com/t/100009" + "2" * 8)
    if app == "snapchat":
        return Look(app, dark, "#fff", "#fff", "#000", "#8a8d91", "#fff", "#fff", "#000", 0,
                    "https://web.snapchat.com/")
    if app == "telegram":
        return Look(app, dark, _TELEGRAM_WALL, "#fff", "#000", "#707579", "#fff", "#e3fee0",
                    "#000", 14, "https://web.telegram.org/a/")
    return Look(app, dark, "#fff", "#f7f7f7", "#212121", "#7a7a7a", "#f1f1f1", "#c7edfc",
                "#212121", 16, "https://web.skype.com/")


@dataclass
class Bubble:
    out: bool
    said: Said
    time: str


def _clock(moment: datetime.datetime, twelve: bool) -> str:
    return moment.strftime("%I:%M %p").lstrip("0") if twelve else moment.strftime("%H:%M")


def conversation(rng: random.Random) -> list[Bubble | str]:
    """The messages; a str is a date separator."""
    own_email, own_phone = values.email_address(rng), values.plus_phone(rng)
    kinds = rng.sample(values.OFFENDER_KINDS, rng.randint(2, 3))
    twelve = rng.random() < 0.4
    moment = datetime.datetime(2025, 1, 1, 8) + datetime.timedelta(minutes=rng.randrange(500_000))
    items: list[Bubble | str] = []
    if rng.random() < 0.6:
        day = rng.choice(["TODAY", "YESTERDAY", moment.strftime("%-d %B %Y")])
        items.append(day)
    count = rng.randint(10, 18)
    slots = sorted(rng.sample(range(count), len(kinds) + 1))
    for n in range(count):
        moment += datetime.timedelta(minutes=rng.randrange(0, 9))
        if n in slots[:-1]:
            said, out = values.offender_line(rng, kinds[slots.index(n)]), False
        elif n == slots[-1]:
            said = values.negative_line(rng, own_email, own_phone)
            out = said.planted[0].kind == "amount" and rng.random() < 0.3
        else:
            said, out = Said(rng.choice(values.FILLER)), rng.random() < 0.45
        items.append(Bubble(out, said, _clock(moment, twelve)))
        if n == count // 2 and rng.random() < 0.3:
            items.append("TODAY")
    return items


def chat_page(rng: random.Random, app: str, device: str) -> Page:
    width, height, scale = size(rng, device)
    page = Page(app, device, width, height, scale)
    lk = look(app, dark=app in ("whatsapp", "instagram", "messenger") and rng.random() < 0.4)
    contact = values.person(rng)
    items = conversation(rng)
    side = ""
    top = ""
    if device == "desktop":
        if rng.random() < 0.6:
            top = browser_bar(page, lk.url, lk.app.title(), lk.dark)
        if app != "snapchat" or rng.random() < 0.5:
            side = _side_list(rng, page, lk, contact)
    else:
        top = status_bar(rng, page, lk.dark)
    header = _header(rng, page, lk, contact)
    messages = "".join(_item(page, lk, it, contact) for it in items)
    composer = {"whatsapp": "Type a message", "instagram": "Message...",
                "messenger": "Aa", "snapchat": "Send a chat", "telegram": "Message",
                "skype": "Type a message"}[app]
    skype_panel = _skype_panel(rng, page, lk, contact) if app == "skype" else ""
    page.css = (
        f"body{{background:{lk.panel};color:{lk.text};display:flex;flex-direction:column}}"
        f".row{{display:flex;flex:1;min-height:0}}"
        f".main{{flex:1;display:flex;flex-direction:column;min-width:0;background:{lk.background}}}"
        # The first message's auto margin pushes the chat down, as apps do; unlike
        # justify-content:flex-end it lets what overflows spill below, where `fit` sees it.
        f".msgs{{flex:1;display:flex;flex-direction:column;min-height:0;"
        f"padding:8px {'7%' if device == 'desktop' else '10px'};gap:4px;font-size:"
        f"{15 if device == 'phone' else 14.2}px;line-height:1.35}}"
        f".msgs>:first-child{{margin-top:auto}}"
        f".b{{max-width:{'62%' if device == 'desktop' else '80%'};padding:6px 9px 7px;"
        f"border-radius:{lk.radius}px;word-wrap:break-word;box-shadow:0 1px .5px rgba(0,0,0,.13)}}"
        f".in{{align-self:flex-start;background:{lk.incoming}}}"
        f".out{{align-self:flex-end;background:{lk.outgoing};color:{lk.outgoing_text}}}"
        f".t{{float:right;font-size:11px;color:{lk.muted};margin:6px 0 -4px 10px}}"
        f".sep{{align-self:center;background:{lk.panel};color:{lk.muted};font-size:12.5px;"
        f"padding:5px 12px;border-radius:8px;margin:6px}}"
        f".hdr{{display:flex;align-items:center;gap:12px;padding:10px 16px;background:{lk.panel};"
        f"border-bottom:1px solid rgba(128,128,128,.2)}}"
        f".cmp{{padding:10px 16px;background:{lk.panel};color:{lk.muted}}}"
        f".cmp div{{background:{'#2a3942' if lk.dark else '#fff'};border-radius:20px;"
        f"padding:9px 16px;border:1px solid rgba(128,128,128,.25)}}"
        f".side{{width:{30 if width > 1000 else 36}%;border-right:1px solid rgba(128,128,128,.25);"
        f"display:flex;flex-direction:column}}"
        f".ci{{display:flex;gap:12px;padding:10px 14px;align-items:center;font-size:15px}}"
        f".ci small{{color:{lk.muted};font-size:13px;display:block;white-space:nowrap;"
        f"overflow:hidden;text-overflow:ellipsis}}"
        + _quirks(lk)
    )
    page.body = (
        f"{top}<div class='row'>{side}<div class='main'>{header}"
        f"<div class='msgs fit'>{messages}</div>"
        f"<div class='cmp'><div>😊 &nbsp;{composer}</div></div></div>{skype_panel}</div>"
    )
    return page


def _quirks(lk: Look) -> str:
    if lk.app == "instagram":
        return (".t{display:none}.b{box-shadow:none}.sep{background:none;font-size:12px}"
                ".msgs{gap:2px}")
    if lk.app == "messenger":
        return ".t{display:none}.b{box-shadow:none}.sep{background:none}"
    if lk.app == "snapchat":
        return (".b{max-width:100%;align-self:stretch;box-shadow:none;border-left:3px solid "
                "#0eadff;padding:0 8px;margin-top:4px}.out{border-left-color:#f23c57}"
                ".who{font-size:11px;font-weight:700;color:#0eadff}.out .who{color:#f23c57}"
                ".t{display:none}.sep{background:none;font-weight:600}")
    if lk.app == "telegram":
        return ".sep{background:rgba(0,0,0,.25);color:#fff;border-radius:14px}.t{color:#4fae4e}"
    if lk.app == "skype":
        return ".b{box-shadow:none}.who{font-size:12px;color:#7a7a7a;margin-bottom:2px}"
    return ""


def _item(page: Page, lk: Look, item: Bubble | str, contact: str) -> str:
    if isinstance(item, str):
        return f"<div class='sep'>{esc(item)}</div>"
    cls = "out" if item.out else "in"
    time: Planted | None = None
    if lk.app in ("whatsapp", "telegram", "skype"):
        time = mine("date-time", item.time)
    planted = item.said.planted + ((time,) if time else ())
    who = ""
    if lk.app == "snapchat":
        who = f"<div class='who'>{'ME' if item.out else esc(contact.split()[0].upper())}</div>"
    elif lk.app == "skype" and not item.out:
        who = f"<div class='who'>{esc(contact.split()[0])}, {esc(item.time)}</div>"
    tick = " <span style='color:#53bdeb'>✓✓</span>" if item.out and lk.app == "whatsapp" else ""
    if item.out and lk.app == "telegram":
        tick = " ✓✓"
    stamp = f"<span class='t'>{esc(item.time)}{tick}</span>" if time else ""
    return (f"<div class='b {cls}'{page.mark(*planted)}>{who}{esc(item.said.text)}"
            f"{stamp}</div>")


def _header(rng: random.Random, page: Page, lk: Look, contact: str) -> str:
    name_mark = page.mark(theirs_name(contact))
    subtitle = rng.choice(["online", "last seen today at 21:40", "typing..."])
    if lk.app == "instagram":
        # The username under the display name: the offender's handle, in a header.
        user = values.handle(rng, "._")
        sub_mark = page.mark(theirs("username", "@" + user, "Instagram"))
        subtitle = user
    elif lk.app == "messenger":
        sub_mark, subtitle = "", rng.choice(["Active now", "Active 12m ago"])
    elif lk.app == "snapchat":
        sub_mark, subtitle = "", ""
    else:
        sub_mark = page.mark(mine("date-time", "21:40")) if "21:40" in subtitle else ""
    icons = "📞 &nbsp; 🎥 &nbsp; ⓘ" if lk.app != "whatsapp" else "🔍 &nbsp; ⋮"
    return (
        f"<div class='hdr'>{avatar(rng, contact, 40)}<div style='flex:1'>"
        f"<div{name_mark} style='font-weight:600;font-size:16px'>{esc(contact)}</div>"
        f"<div{sub_mark} style='font-size:13px;color:{lk.muted}'>{esc(subtitle)}</div></div>"
        f"<div style='color:{lk.muted}'>{icons}</div></div>"
    )


def theirs_name(name: str) -> Planted:
    """The offender's display name: theirs, but no rule reads names (not scored)."""
    return Planted("name", name, name, True)


def _side_list(rng: random.Random, page: Page, lk: Look, contact: str) -> str:
    rows = []
    for n in range(14):
        name = contact if n == 0 else values.person(rng)
        when = f"{rng.randrange(1, 24)}:{rng.randrange(60):02d}" if n < 4 else rng.choice(
            ["Yesterday", "Monday", "12/03/2025"])
        planted = [mine("date-time", when)] + ([] if n == 0 else [mine("name", name)])
        preview = rng.choice(values.FILLER)
        bg = "rgba(128,128,128,.15)" if n == 0 else "transparent"
        rows.append(
            f"<div class='ci'{page.mark(*planted, keep=n == 0)} style='background:{bg}'>"
            f"{avatar(rng, name, 46)}<div style='flex:1;min-width:0'>"
            f"<span style='float:right;font-size:12px;color:{lk.muted}'>{esc(when)}</span>"
            f"{esc(name)}<small>{esc(preview)}</small></div></div>"
        )
    title = {"whatsapp": "Chats", "instagram": "Messages", "messenger": "Chats",
             "snapchat": "Chat", "telegram": "Telegram", "skype": "Chats"}[lk.app]
    return (f"<div class='side' style='background:{lk.panel}'><div style='padding:16px;"
            f"font-weight:700;font-size:20px'>{title}</div><div class='fit' style='flex:1'>"
            f"{''.join(rows)}</div></div>")


def _skype_panel(rng: random.Random, page: Page, lk: Look, contact: str) -> str:
    """Skype's profile panel: where the live: ID of a contact is shown."""
    if page.device != "desktop" or rng.random() < 0.4:
        return ""
    cid = values.skype_cid(rng)
    return (
        f"<div style='width:280px;border-left:1px solid #ddd;padding:24px;background:#fff'>"
        f"<div style='display:flex;justify-content:center'>{avatar(rng, contact, 96)}</div>"
        f"<div style='text-align:center;font-size:20px;margin:12px 0 24px'>{esc(contact)}</div>"
        f"<div style='color:{lk.muted};font-size:12px'>Skype Name</div>"
        f"<div{page.mark(theirs('skype-id', cid))} style='font-size:14px;margin-bottom:16px'>"
        f"{esc(cid)}</div><div style='color:{lk.muted};font-size:12px'>Location</div>"
        f"<div style='font-size:14px'>Lagos, Nigeria</div></div>"
    )
