"""A second engine for single small words: PaddleOCR's PP-OCRv4 recognition model, run by
ONNX Runtime, entirely offline.

Tesseract misreads letters 8-10 pixels tall whatever the enlargement ("callcoclarke@" for
"realleoclarke@", "bSb8992" for "b5b8992"). PP-OCR's recognition model was trained on text
cut out of photos and screens, small and blurred, and reads many of those words right; but
run over whole pictures it runs the words of a sentence together and doubles the time. So
only its recognition model is used, and only on the box of one word Tesseract has already
found (`text_recheck` decides which words and what to make of the answer).

The model and its character list come inside the `rapidocr-onnxruntime` wheel (Apache-2.0,
models converted from PaddleOCR, also Apache-2.0); only the model file is used, found without
importing that package (which would load OpenCV). ONNX Runtime and NumPy run it. A frozen
program carries the file at `share/ppocr` (packaging/safekeep.spec). Where any of it is
missing, `available()` is False and text recognition works as it did without it.

This module runs in the OCR worker processes only, one session per process, on one thread.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from PIL import Image

MODEL_FILE = "ch_PP-OCRv4_rec_infer.onnx"
_HEIGHT = 48  # the model's input height
_MIN_WIDTH = 320  # narrower inputs are padded to this width, as PaddleOCR does
_MAX_WIDTH = 2400  # a longer strip is not one word: it is left alone (and the time bounded)
# Widening the word half again keeps narrow repeated letters ("1111", "ll") apart: the model
# gives one answer per 8 pixels of width, and two same letters need a blank answer between.
_STRETCH = 1.5

_session: Any = None  # onnxruntime.InferenceSession, made on first use
_characters: list[str] = []
_allowed: Any = None  # numpy array: 0 for characters an identifier may hold, else -inf


def model_path() -> Path | None:
    """Where the model file is, or None when it is not installed."""
    if getattr(sys, "frozen", False):
        base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
        path = base / "share" / "ppocr" / MODEL_FILE
        return path if path.is_file() else None
    try:
        spec = importlib.util.find_spec("rapidocr_onnxruntime")  # finds, does not import
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "models" / MODEL_FILE
    return path if path.is_file() else None


def available() -> bool:
    """True when ONNX Runtime, NumPy and the model are installed."""
    try:
        found = all(importlib.util.find_spec(name) is not None
                    for name in ("onnxruntime", "numpy"))
    except (ImportError, ValueError):
        return False
    return found and model_path() is not None


def warm_up() -> None:
    """Load the model now (about 0.1 s) rather than during the first picture."""
    _load()


def _load() -> Any:
    global _session, _characters, _allowed
    if _session is None:
        import numpy as np
        import onnxruntime as ort

        path = model_path()
        if path is None:
            raise RuntimeError("the PP-OCR recognition model is not installed")
        options = ort.SessionOptions()
        # One thread: the pool already runs one worker per core.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only: a worker has nowhere to show warnings
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        listed = session.get_modelmeta().custom_metadata_map["character"].splitlines()
        # CTC's "blank" comes first and a space last, as PaddleOCR decodes this model.
        _characters = ["", *listed, " "]
        # The list holds 6,600 Chinese characters and more; an identifier is printable ASCII
        # without spaces, so only those may be read.
        _allowed = np.array([0.0 if index == 0 or (len(ch) == 1 and "!" <= ch <= "~")
                             else -np.inf for index, ch in enumerate(_characters)],
                            dtype=np.float32)
        _session = session
    return _session


def read_word(image: Image.Image) -> list[tuple[str, float]] | None:
    """The model's reading of one word's picture (a few pixels around the word): each
    character with the model's probability for it (0-1); None when the picture is too long
    to be one word."""
    import numpy as np

    session = _load()
    width = round(image.width * _HEIGHT / max(1, image.height) * _STRETCH)
    if width < 1 or width > _MAX_WIDTH:
        return None
    strip = image.convert("RGB").resize((width, _HEIGHT), Image.Resampling.BILINEAR)
    # The model was trained on OpenCV's pictures: blue, green, red; values from -1 to 1.
    pixels = np.asarray(strip, dtype=np.float32)[:, :, ::-1] / 127.5 - 1.0
    batch = np.zeros((1, 3, _HEIGHT, max(width, _MIN_WIDTH)), dtype=np.float32)
    batch[0, :, :, :width] = pixels.transpose(2, 0, 1)
    scores = session.run(None, {session.get_inputs()[0].name: batch})[0][0]
    allowed = scores + _allowed
    best = allowed.argmax(axis=1)
    # CTC: a character per run of the same answer, blanks (0) between.
    read = []
    previous = -1
    for index, probability in zip(best.tolist(), allowed.max(axis=1).tolist(), strict=True):
        if index != previous and index != 0:
            read.append((_characters[index], float(probability)))
        previous = index
    return read
