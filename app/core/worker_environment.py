"""The environment a worker process starts with: only what it needs to run, nothing else.

Workers decode pictures that come from criminals. If a decoder were ever exploited, whatever
is in the worker's environment would be the attacker's: a passphrase given in
SAFEKEEP_PASSPHRASE, tokens and keys of other programs. A process's starting environment
stays readable in /proc/PID/environ for its whole life, whatever it deletes later, so it has
to be small from the start.

`multiprocessing` starts a worker with the parent's environment at that moment and offers no
way to pass another, so `minimal_environment()` sets the small one around the start and puts
the full one back straight after. The lock keeps two starts from interleaving; another thread
that reads the environment during those few milliseconds sees the small one (the variables
below keep locale, temporary folder and library paths the same for it).
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# What Python, Pillow and Tesseract need to start and behave as in the app: where programs
# and libraries are, the language and time zone, the temporary folder, Python's own settings,
# and on Windows the variables without which Python cannot start at all.
KEPT = frozenset({
    "PATH", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "LANG", "LANGUAGE", "TZ",
    "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT",
    "PYTHONHOME", "PYTHONPATH", "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONUTF8",
    "PYTHONDONTWRITEBYTECODE", "OMP_THREAD_LIMIT", "TESSDATA_PREFIX",
})
# Locale settings, and what a program frozen by PyInstaller (issue 19) tells its own children.
KEPT_PREFIXES = ("LC_", "_PYI_", "_MEI")

_starting = threading.Lock()


def kept(name: str) -> bool:
    return name.upper() in KEPT or name.upper().startswith(KEPT_PREFIXES)


@contextmanager
def minimal_environment() -> Iterator[None]:
    """Start worker processes inside this: they get only the variables in KEPT."""
    with _starting:
        saved = dict(os.environ)
        try:
            for name in [n for n in os.environ if not kept(n)]:
                del os.environ[name]
            yield
        finally:
            for name, value in saved.items():
                if os.environ.get(name) != value:
                    os.environ[name] = value
