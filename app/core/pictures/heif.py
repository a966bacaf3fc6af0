"""HEIC photos: what an iPhone saves a photo as, and what a photo of the offender's messages
taken with a second phone often is. Pillow does not read them; pi-heif (libheif with the
libde265 HEVC decoder, and no encoder) does, as a Pillow plugin.

The plugin is registered only in a process that meets a file starting like one, and only a
worker process decodes evidence (see preview.py): a screenshot import never loads it, and
Pillow is never asked for a format it does not have (its open() would first load every
plugin it has, and then fail).
"""

from __future__ import annotations

HEIF_FORMAT = "HEIF"  # Pillow's name for what the plugin opens
# ISO base media files start with a box length and "ftyp", then the major brand: these are
# HEIF's with HEVC pictures (an iPhone writes "heic"; "mif1" is HEIF's own general brand).
_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
_registered = False


def looks_like_heif(head: bytes) -> bool:
    """Whether the file's first 12 bytes (or more) start a HEIF file."""
    return head[4:8] == b"ftyp" and head[8:12] in _BRANDS


def open_heif_with_pillow() -> None:
    """Let Pillow's open() read HEIF files in this process, as HEIF_FORMAT. Its EXIF is read
    as written, but with the orientation the container already applies set to 1: the decoded
    picture is upright, and turning it again by EXIF would turn it twice."""
    global _registered
    if not _registered:
        import pi_heif

        pi_heif.register_heif_opener()
        _registered = True
