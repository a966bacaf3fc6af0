"""Realistic screenshots for measuring text recognition: web pages imitating real apps,
rendered by headless Chromium, with every planted value labelled.

The Pillow-drawn corpus (`benchmarks.ocr_corpus`) was drawn by the same code the rules were
tuned on. These pictures are made differently: HTML and CSS imitations of WhatsApp (Web and
phone), Instagram direct messages, Messenger, Snapchat, Telegram (with its busy wallpaper),
Skype, a Western Union receipt page, a bank app's transfer screen and webmail, at desktop and
phone sizes and device scales 1 and 2, with avatars, ticks, date separators, wrapped
messages and emoji. Chromium draws the text with real fonts (Roboto, Noto, Liberation).

Each picture has a JSON sidecar listing every planted value: its kind, the value as written,
the key the rules would give it, and whether it is the offender's. Values that are not the
offender's (the person's own e-mail and phone, times, prices, names, a browser's address
bar) are labelled too: suggesting one is a mistake the benchmark counts.

- `values`: the planted details and the sentences that carry them.
- `chats`: the chat apps; `pages`: the receipt, bank and webmail pages.
- `render`: Chromium, the PNG/JPEG/downscaled variants and the sidecars.
- `benchmarks/bench_ocr_realistic.py`: recall, precision and negatives per kind and variant.

Which seeds may be looked at is fixed here, before anyone tunes on them.
"""

# A later session may look at the misses on these seeds and change the rules to fix them.
# (6-11 were added on 2026-11-30, when 0-5 were nearly all read, for more shapes to learn
# from; they had never been reported on. 12-23 were added on 2026-12-01 for the downscaled
# variant's wrong suggestions, which 0-11 no longer showed enough of; never reported on.)
TUNED_SEEDS = tuple(range(24))
# Reported on, never tuned on. Looking at their misses to change a rule makes them tuned:
# pick new held-out seeds then, and say so.
HELD_OUT_SEEDS = (100, 101, 102, 103, 104, 105)  # 84 pictures, each in 3 variants
# The small committed sample (tests/fixtures/ocr_realistic) comes from this seed, which is
# neither tuned on nor reported on.
SAMPLE_SEED = 500
