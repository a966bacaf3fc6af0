"""Looking at a place on a drive without being stopped by a drive that does not answer.

pathlib's exists() and is_dir() raise OSError (EIO) where a drive stopped answering, a USB
stick taken out, rather than saying no: in the window's own thread that stopped a dialog from
opening, and from the command line it read as "Something unexpected went wrong". These say no
instead; writing there then says why (app.models.safe_files). Standard library only, like
app.text_safety: light enough for the first window, and usable from every layer.
"""

from pathlib import Path


def is_folder(path: Path) -> bool:
    """pathlib's is_dir(), False where the drive does not answer."""
    try:
        return path.is_dir()
    except OSError:
        return False


def is_there(path: Path) -> bool:
    """pathlib's exists(), False where the drive does not answer."""
    try:
        return path.exists()
    except OSError:
        return False
