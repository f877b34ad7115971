"""Step 4 for pictures: optical character recognition with RapidOCR (ONNX Runtime).

The detection and recognition models ship inside the ``rapidocr`` wheel; their paths are
given explicitly so the library never tries to download anything.  The engine is built once
per process, on first use.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from balancedue.errors import OcrUnavailableError
from balancedue.intake.imaging import turn
from balancedue.intake.layout import build_lines
from balancedue.intake.models import PageLine, Segment

log = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"

MAX_OCR_THREADS = 4
"""More threads than this gain little on one page picture and cost memory."""


def ocr_threads() -> int:
    """Threads ONNX Runtime may use: ``BALANCEDUE_OCR_THREADS``, else the cores this process may
    run on (at most ``MAX_OCR_THREADS``)."""
    given = os.environ.get("BALANCEDUE_OCR_THREADS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_OCR_THREADS, cores))


DET_SIDE = 1024
"""Longest side, in pixels, at which text boxes are found.  Boxes need only the outline of the
lines; each line is then recognised from the full-resolution picture.  Memory and time grow with
the square of this side."""

REC_BATCH = 3
"""Text lines recognised together: larger batches are no faster on a CPU and need more memory."""

MIN_TEXT_SCORE = 1 / 2
"""Recognised text below this score is dropped."""

UPSIDE_DOWN_SCORE = 85 / 100
"""When the mean score of a page falls below this, the page is also read turned half a turn."""

_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class OcrPage:
    """The lines read from one page picture, with the turn that read best."""

    lines: tuple[PageLine, ...]
    mean_score: float
    rotation: int
    box_count: int


def _model_path(name: str) -> Path:
    path = Path(str(resources.files("rapidocr") / "models" / name))
    if not path.is_file():
        raise OcrUnavailableError(f"the model {name} is missing from the rapidocr package")
    return path


M_ARENA_MAX = -8  # glibc's mallopt() parameter number (malloc.h)
MALLOC_ARENAS = 2
"""Memory arenas the C allocator may keep: the model threads otherwise each get their own, and the
page buffers they free stay spread over them (a higher peak for no speed)."""


@lru_cache(maxsize=1)
def _libc() -> Any:
    """The C library when it is glibc (Linux), else ``None``."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except (ImportError, OSError):
        return None


def release_memory() -> None:
    """Give the freed page buffers back to the system (glibc only; elsewhere nothing to do)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def _tune_sessions() -> None:
    """ONNX Runtime options rapidocr does not expose: worker threads sleep when idle instead of
    spinning (a spinning thread takes a core the rest of the page, or another program, could
    use), and no memory block is planned ahead for every intermediate result at once (a lower
    peak).  Left as they are when rapidocr's session class changes."""
    try:
        from rapidocr.inference_engine.onnxruntime import main as sessions
    except ImportError:
        return
    session_class = getattr(sessions, "OrtInferSession", None)
    original = getattr(session_class, "_init_sess_opts", None)
    if session_class is None or original is None or getattr(original, "balancedue", False):
        return

    def options(cfg: Any) -> Any:
        chosen = original(cfg)
        chosen.enable_mem_pattern = False
        chosen.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return chosen

    options.balancedue = True  # type: ignore[attr-defined]
    session_class._init_sess_opts = staticmethod(options)


@lru_cache(maxsize=1)
def _engine() -> Any:
    libc = _libc()
    if libc is not None:  # before the model threads start
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise OcrUnavailableError(f"the rapidocr package cannot be imported ({exc})") from None
    _tune_sessions()
    params = {
        "Global.log_level": "error",
        "Global.use_cls": False,
        "Global.max_side_len": 2400,
        "Det.model_path": str(_model_path(DET_MODEL)),
        "Rec.model_path": str(_model_path(REC_MODEL)),
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
        "Rec.rec_batch_num": REC_BATCH,
        "EngineConfig.onnxruntime.intra_op_num_threads": ocr_threads(),
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    return RapidOCR(params=params)


def _segments(result: Any, page: int) -> list[Segment]:
    if result is None or result.boxes is None or result.txts is None:
        return []
    segments: list[Segment] = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        if float(score) < MIN_TEXT_SCORE or not str(text).strip():
            continue
        points = np.asarray(box, dtype=np.float64)
        segments.append(
            Segment(
                text=str(text),
                bbox=(float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max())),
                confidence=round(float(score), 4),
                page=page,
            )
        )
    return segments


def _read(image: NDArray[np.uint8], page: int) -> tuple[list[Segment], float]:
    with _LOCK:
        result = _engine()(np.dstack([image, image, image]))
    segments = _segments(result, page)
    del result  # the model's copies of the page
    release_memory()
    if not segments:
        return [], 0
    weights = [len(s.text) for s in segments]
    mean = sum(s.confidence * w for s, w in zip(segments, weights, strict=True)) / sum(weights)
    return segments, mean


def recognize_page(image: NDArray[np.uint8], page: int, try_half_turn: bool = True) -> OcrPage:
    """Read one grayscale page picture; also try it turned 180 degrees when it reads badly."""
    segments, mean = _read(image, page)
    rotation = 0
    if try_half_turn and (not segments or mean < UPSIDE_DOWN_SCORE):
        turned, turned_mean = _read(turn(image, 180), page)
        if turned and (turned_mean > mean + 3 / 100 or len(turned) > len(segments) * 3 / 2):
            segments, mean, rotation = turned, turned_mean, 180
    return OcrPage(lines=build_lines(segments), mean_score=round(mean, 4), rotation=rotation, box_count=len(segments))


def warm_up() -> None:
    """Load the OCR models now (they load on first use otherwise)."""
    _engine()
