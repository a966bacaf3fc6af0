"""What every realistic page shares: the document around it, a browser's address bar, a
phone's status bar, and the bookkeeping of planted values.

A page's parts that may not fit (old messages, a long chat list) carry the class `fit`: a
script in the page removes what overflows, first what carries no offender detail, then the
oldest, as an app scrolls it away (with `tail`, the last first: a page below the fold).
Each element holding planted values names them in `data-p`, so the page as Chromium left it
(`--dump-dom`) tells which values are on the picture.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

from benchmarks.ocr_realistic.values import Planted, mine, theirs

FONTS = {
    "roboto": "Roboto, 'Noto Sans', sans-serif",
    "noto": "'Noto Sans', Roboto, sans-serif",
    "liberation": "'Liberation Sans', Arial, sans-serif",
    "serif": "'Liberation Serif', 'Noto Serif', serif",
}

_FIT_SCRIPT = """
for (const box of document.querySelectorAll('.fit')) {
  const order = [...box.children];
  const spare = order.filter(e => !e.dataset.keep);
  const tail = box.classList.contains('tail');  // a page: what is below the fold goes
  while (box.scrollHeight > box.clientHeight + 1 && order.length) {
    const gone = spare.length ? (tail ? spare.pop() : spare.shift()) : order[0];
    order.splice(order.indexOf(gone), 1);
    gone.remove();
  }
}
"""


@dataclass
class Page:
    """One picture to render: its HTML and what it holds."""

    app: str
    device: str  # "desktop" or "phone"
    width: int  # CSS pixels; the picture is this times `scale`
    height: int
    scale: int
    planted: list[Planted] = field(default_factory=list)
    body: str = ""
    css: str = ""

    def mark(self, *planted: Planted, keep: bool | None = None) -> str:
        """Attributes for an element holding `planted`: ` data-p="3,4"` (and data-keep)."""
        if not planted:
            return ""
        start = len(self.planted)
        self.planted.extend(planted)
        numbers = ",".join(str(n) for n in range(start, len(self.planted)))
        if keep is None:
            keep = any(p.offender for p in planted)
        return f' data-p="{numbers}"' + (' data-keep="1"' if keep else "")

    def document(self, font: str) -> str:
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
            "*{box-sizing:border-box;margin:0;padding:0}"
            f"html,body{{width:{self.width}px;height:{self.height}px;overflow:hidden;"
            f"font-family:{FONTS[font]}}}"
            ".fit{overflow:hidden}"
            f"{self.css}</style></head><body>{self.body}"
            f"<script>{_FIT_SCRIPT}</script></body></html>"
        )


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def avatar(rng: random.Random, name: str, size: int) -> str:
    """A round avatar: a coloured disc with initials, or a 'photo' gradient."""
    hue = rng.randrange(360)
    if rng.random() < 0.5:
        fill = f"radial-gradient(circle at 40% 35%,hsl({hue},40%,75%),hsl({hue + 40},35%,30%))"
        text = ""
    else:
        fill = f"hsl({hue},45%,55%)"
        text = esc("".join(w[0] for w in name.split()[:2]).upper())
    return (
        f"<div style='width:{size}px;height:{size}px;border-radius:50%;background:{fill};"
        f"flex:none;color:#fff;font-size:{size * 0.4:.0f}px;display:flex;align-items:center;"
        f"justify-content:center'>{text}</div>"
    )


def browser_bar(page: Page, url: str, title: str, dark: bool = False) -> str:
    """A desktop browser's tab strip and address bar. The address is the site's own: a
    negative the rules must not suggest as the offender's link. Except Messenger's: its
    "/t/<number>" names the other person's Facebook account in a one-to-one chat, which
    police can use, so it is labelled the offender's."""
    back, fore, field_bg = ("#202124", "#e8eaed", "#35363a") if dark else (
        "#dee1e6", "#202124", "#f1f3f4")
    shown = url.removeprefix("https://")
    return (
        f"<div style='background:{back};color:{fore};font:12px {FONTS['noto']};height:74px;"
        "flex:none'>"
        f"<div style='height:34px;padding:8px 0 0 72px'><span style='background:"
        f"{'#35363a' if dark else '#fff'};border-radius:8px 8px 0 0;padding:7px 60px 8px 14px'>"
        f"{esc(title)}</span> <span style='margin-left:14px'>+</span></div>"
        f"<div style='background:{'#35363a' if dark else '#fff'};height:40px;display:flex;"
        "align-items:center;padding:0 10px;gap:14px;font-size:14px'>← → ⟳"
        f"<div{page.mark(address_label(url))} style='flex:1;background:{field_bg};"
        f"border-radius:16px;padding:7px 16px'>🔒 {esc(shown)}</div>⋮</div></div>"
    )


def address_label(url: str) -> Planted:
    return theirs("url", url) if "messenger.com/t/" in url else mine("url", url)


def status_bar(rng: random.Random, page: Page, dark: bool) -> str:
    """A phone's status bar: the time (a negative) and the battery."""
    clock = f"{rng.randrange(7, 24)}:{rng.randrange(60):02d}"
    colour = "#fff" if dark else "#000"
    return (
        f"<div style='height:34px;display:flex;justify-content:space-between;align-items:center;"
        f"padding:0 22px;font:600 14px {FONTS['roboto']};color:{colour};flex:none'>"
        f"<span{page.mark(mine('date-time', clock))}>{clock}</span>"
        f"<span>▂▄▆ 📶 {rng.randrange(12, 99)}% ▮</span></div>"
    )


DESKTOP_SIZES = ((1920, 1080, 1), (1366, 768, 1), (1440, 900, 1), (960, 540, 2), (1280, 800, 2))
PHONE_SIZES = ((390, 844, 2), (412, 915, 2), (360, 780, 2), (393, 852, 2))


def size(rng: random.Random, device: str) -> tuple[int, int, int]:
    return rng.choice(DESKTOP_SIZES if device == "desktop" else PHONE_SIZES)
