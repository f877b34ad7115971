"""Step 4 for pictures: optical character recognition with the PP-OCR models on ONNX Runtime.

The text-detection and text-recognition models ship inside the ``rapidocr`` wheel and are run
here directly with ONNX Runtime: the steps around them (DB box finding, line cropping, CTC
decoding) follow RapidOCR's own, so the text read is the same, but a start does not load
RapidOCR's model catalogue and configuration layer (a third of a second), and the sessions get
the options that matter for one page on a small machine.  The sessions are built once per
process, on first use, and shared by every page.

Nothing is downloaded: a missing model is an :class:`OcrUnavailableError`.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import cv2
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

MAX_PAGE_SIDE = 2400
"""A page picture with a longer side is shrunk to this before OCR (lines need no more)."""

MIN_PAGE_SIDE = 30
"""A picture with a shorter side is enlarged to this before OCR."""

MIN_DET_HEIGHT = 30
"""Pictures at most this tall are padded above and below before text boxes are found."""

MAX_DET_ASPECT = 8
"""Pictures wider than this many times their height are padded above and below as well."""

DET_STRIDE = 32
"""The detection model takes sides that are multiples of this."""

DET_PIXEL_THRESHOLD = 3 / 10
"""A pixel of the detection map above this is text."""

DET_BOX_THRESHOLD = 1 / 2
"""A text box whose mean detection score is below this is dropped."""

DET_MAX_BOXES = 1000
"""Text boxes considered on one page."""

DET_UNCLIP_RATIO = 16 / 10
"""How far a found text region is grown (the model marks a shrunk core of each line)."""

DET_MIN_BOX_SIDE = 3
"""Text boxes with a shorter side, in detection pixels, are noise."""

SAME_ROW_PIXELS = 10
"""Boxes whose tops differ by less than this are on one row, ordered left to right."""

REC_HEIGHT = 48
"""Height, in pixels, at which text lines are recognised."""

REC_MIN_WIDTH = 320
"""Narrowest input of the recognition model; shorter lines are padded to it."""

REC_BATCH = 3
"""Text lines recognised together: larger batches are no faster on a CPU and need more memory."""

REC_BATCH_WIDTH = 3 * 800
"""Pixels of padded line width (at ``REC_HEIGHT``) recognised together: the model's working memory
grows with it (some 55 kB a pixel: about 130 MB for this width, under what finding the boxes of a
page takes)."""

MIN_TEXT_SCORE = 1 / 2
"""Recognised text below this score is dropped."""

UPSIDE_DOWN_SCORE = 85 / 100
"""When the mean score of a page falls below this, the page is also read turned half a turn."""

_LOCK = threading.Lock()

Gray = NDArray[np.uint8]
Box = NDArray[np.float32]  # four corners, clockwise from the top left


@dataclass(frozen=True, slots=True)
class OcrPage:
    """The lines read from one page picture, with the turn that read best."""

    lines: tuple[PageLine, ...]
    mean_score: float
    rotation: int
    box_count: int


@dataclass(frozen=True, slots=True)
class _Models:
    det: Any
    rec: Any
    characters: tuple[str, ...]
    release: Any  # run options that hand the session's working memory back after the run


def _model_path(name: str) -> Path:
    try:
        path = Path(str(resources.files("rapidocr") / "models" / name))
    except ModuleNotFoundError:
        raise OcrUnavailableError("the rapidocr package (which holds the OCR models) is not installed") from None
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


def _session(path: Path, arena: bool) -> Any:
    """One ONNX Runtime session for one page at a time on a small machine.

    The session's own memory arena reuses the blocks of one layer for the next (a third less
    peak memory than the C allocator, and faster); no block is planned ahead for every
    intermediate result at once; worker threads sleep when idle instead of spinning (a spinning
    thread takes a core the rest of the page, or another program, could use).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = arena
    options.enable_mem_pattern = False
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = ocr_threads()
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=1)
def _models() -> _Models:
    libc = _libc()
    if libc is not None:  # before the model threads start
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    det_path, rec_path = _model_path(DET_MODEL), _model_path(REC_MODEL)
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise OcrUnavailableError(f"the onnxruntime package cannot be imported ({exc})") from None
    det, rec = _session(det_path, arena=True), _session(rec_path, arena=False)
    listed = rec.get_modelmeta().custom_metadata_map.get("character")
    if not listed:
        raise OcrUnavailableError(f"the model {REC_MODEL} does not list its characters")
    release = ort.RunOptions()
    release.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    # Index 0 is the CTC blank; the space comes last (as the model was trained).
    return _Models(det, rec, ("", *listed.splitlines(), " "), release)


# ---------------------------------------------------------------------------------------------
# Text boxes (DB: differentiable binarisation)

MID_GREY = 1 / 2
"""Both models take grey levels scaled to 0..1, then centred on mid-grey and stretched to -1..1."""

_DET_PIXELS = ((np.arange(256, dtype=np.float32) * np.float32(1 / 255)).astype(np.float64) - MID_GREY) / MID_GREY
"""Each grey level as the detection model takes it."""


_DILATION = np.ones((2, 2), dtype=np.uint8)
"""Text pixels are grown by one pixel right and down before boxes are traced."""


def _det_size(height: int, width: int) -> tuple[int, int]:
    ratio = DET_SIDE / max(height, width) if max(height, width) > DET_SIDE else 1
    return (
        round(int(height * ratio) / DET_STRIDE) * DET_STRIDE,
        round(int(width * ratio) / DET_STRIDE) * DET_STRIDE,
    )


def _find_boxes(models: _Models, image: Gray) -> list[Box]:
    """The text boxes of a page picture, in its pixels, top to bottom and left to right."""
    height, width = image.shape
    det_height, det_width = _det_size(height, width)
    if det_height <= 0 or det_width <= 0:
        return []
    small = cv2.resize(image, (det_width, det_height))
    tensor = np.empty((1, 3, det_height, det_width), dtype=np.float32)
    tensor[0, :] = _DET_PIXELS.astype(np.float32)[small]  # grey: the same plane in each colour
    del small
    session = models.det
    score_map = session.run(None, {session.get_inputs()[0].name: tensor}, models.release)[0][0, 0]
    del tensor
    mask = np.asarray(cv2.dilate((score_map > DET_PIXEL_THRESHOLD).astype(np.uint8), _DILATION), dtype=np.uint8)
    boxes = _boxes_from_map(score_map, mask, width, height)
    return _reading_order(boxes)


def _boxes_from_map(score_map: NDArray[np.float32], mask: Gray, width: int, height: int) -> list[Box]:
    import pyclipper

    map_height, map_width = mask.shape
    contours, _ = cv2.findContours(mask * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes: list[Box] = []
    for contour in contours[:DET_MAX_BOXES]:
        corners, short_side = _min_box(contour)
        if short_side < DET_MIN_BOX_SIDE or _box_score(score_map, corners) < DET_BOX_THRESHOLD:
            continue
        grown = _unclip(corners, pyclipper)
        corners, short_side = _min_box(grown)
        if short_side < DET_MIN_BOX_SIDE + 2:
            continue
        corners[:, 0] = np.clip(np.round(corners[:, 0] / map_width * width), 0, width)
        corners[:, 1] = np.clip(np.round(corners[:, 1] / map_height * height), 0, height)
        box = _clockwise(corners.astype(np.int32))
        box[:, 0] = np.clip(box[:, 0], 0, width - 1).astype(np.int32)
        box[:, 1] = np.clip(box[:, 1], 0, height - 1).astype(np.int32)
        if int(np.linalg.norm(box[0] - box[1])) <= DET_MIN_BOX_SIDE or int(np.linalg.norm(box[0] - box[3])) <= DET_MIN_BOX_SIDE:
            continue
        boxes.append(box)
    return boxes


def _min_box(contour: NDArray[Any]) -> tuple[NDArray[np.float32], float]:
    """The smallest rotated rectangle around ``contour``: corners and its shorter side."""
    rectangle = cv2.minAreaRect(contour)
    points = sorted(cv2.boxPoints(rectangle), key=lambda point: float(point[0]))
    first, fourth = (0, 1) if points[1][1] > points[0][1] else (1, 0)
    second, third = (2, 3) if points[3][1] > points[2][1] else (3, 2)
    box = np.array([points[first], points[second], points[third], points[fourth]])
    return box, float(min(rectangle[1]))


def _box_score(score_map: NDArray[np.float32], corners: NDArray[np.float32]) -> float:
    """The mean detection score inside the box."""
    map_height, map_width = score_map.shape
    xmin = int(np.clip(np.floor(corners[:, 0].min()), 0, map_width - 1))
    xmax = int(np.clip(np.ceil(corners[:, 0].max()), 0, map_width - 1))
    ymin = int(np.clip(np.floor(corners[:, 1].min()), 0, map_height - 1))
    ymax = int(np.clip(np.ceil(corners[:, 1].max()), 0, map_height - 1))
    inside = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    shifted = corners - np.array([xmin, ymin], dtype=corners.dtype)
    cv2.fillPoly(inside, [shifted.reshape(-1, 2).astype(np.int32)], 1)
    return float(cv2.mean(score_map[ymin : ymax + 1, xmin : xmax + 1], inside)[0])


def _unclip(corners: NDArray[np.float32], pyclipper: Any) -> NDArray[Any]:
    """The box grown by the share of its area to its perimeter the model shrank it by."""
    points = corners.astype(np.float64)
    following = np.roll(points, -1, axis=0)
    area = abs(float(np.sum(points[:, 0] * following[:, 1] - following[:, 0] * points[:, 1]))) / 2
    perimeter = float(np.sum(np.hypot(*(following - points).T)))
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(corners, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return np.array(offset.Execute(area * DET_UNCLIP_RATIO / perimeter)).reshape((-1, 1, 2))


def _clockwise(points: NDArray[Any]) -> Box:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    by_x = points[np.argsort(points[:, 0]), :]
    left, right = by_x[:2, :], by_x[2:, :]
    top_left, bottom_left = left[np.argsort(left[:, 1]), :]
    top_right, bottom_right = right[np.argsort(right[:, 1]), :]
    return np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)


def _reading_order(boxes: list[Box]) -> list[Box]:
    """Top to bottom; boxes whose tops are within ``SAME_ROW_PIXELS`` of the one above, left to right."""
    if not boxes:
        return []
    stacked = np.array(boxes)
    tops = stacked[:, 0, 1]
    order = np.argsort(tops, kind="stable")
    rows = np.concatenate([[0], np.cumsum(np.diff(tops[order]) >= SAME_ROW_PIXELS)])
    final = np.lexsort((stacked[order][:, 0, 0], rows))
    return [stacked[order][i] for i in final]


def _crop(image: Gray, box: Box) -> Gray:
    """The text line inside ``box``, straightened (a tall narrow crop is turned a quarter)."""
    width = int(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
    height = int(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(box, target)
    line = cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if line.shape[0] / line.shape[1] >= 3 / 2:
        line = np.rot90(line)
    return np.asarray(line, dtype=np.uint8)


# ---------------------------------------------------------------------------------------------
# Text lines (CTC)


def _batches(widths: list[float]) -> list[list[int]]:
    """Lines (indices into ``widths``, their widths at ``REC_HEIGHT``) grouped for recognition.

    Lines go narrowest first; a batch takes up to ``REC_BATCH`` lines while its lines, each padded
    to the widest, stay within ``REC_BATCH_WIDTH`` pixels.  The model's working memory grows
    with the padded width of the whole batch, so a long line is read alone.
    """
    order = [int(i) for i in np.argsort(np.array(widths))]  # lines of like width together: less padding
    batches: list[list[int]] = []
    for index in order:
        current = batches[-1] if batches else None
        padded = max(REC_MIN_WIDTH, widths[index])  # the widest so far: the order is by width
        if current is not None and len(current) < REC_BATCH and (len(current) + 1) * padded <= REC_BATCH_WIDTH:
            current.append(index)
        else:
            batches.append([index])
    return batches


def _recognize(models: _Models, lines: list[Gray]) -> list[tuple[str, float]]:
    """The text of each line and its score (the mean probability of its characters)."""
    ratios = [line.shape[1] / float(line.shape[0]) for line in lines]
    results: list[tuple[str, float]] = [("", 0)] * len(lines)
    session = models.rec
    name = session.get_inputs()[0].name
    for chosen in _batches([REC_HEIGHT * ratio for ratio in ratios]):
        widest = max([REC_MIN_WIDTH / REC_HEIGHT, *(ratios[i] for i in chosen)])
        batch = np.zeros((len(chosen), 3, REC_HEIGHT, int(REC_HEIGHT * widest)), dtype=np.float32)
        for row, index in enumerate(chosen):
            plane = _rec_plane(lines[index], batch.shape[3])
            batch[row, :, :, : plane.shape[1]] = plane
        probabilities = session.run(None, {name: batch})[0]
        del batch
        for row, index in enumerate(chosen):
            results[index] = _decode(probabilities[row], models.characters)
    return results


def _rec_plane(line: Gray, batch_width: int) -> NDArray[np.float32]:
    height, width = line.shape
    scaled_width = min(batch_width, math.ceil(REC_HEIGHT * (width / float(height))))
    plane = cv2.resize(line, (scaled_width, REC_HEIGHT)).astype(np.float32)
    plane /= 255
    plane -= MID_GREY
    plane /= MID_GREY
    return plane


def _decode(probabilities: NDArray[np.float32], characters: tuple[str, ...]) -> tuple[str, float]:
    """Greedy CTC: the likeliest character per step, repeats merged, blanks dropped."""
    best = probabilities.argmax(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    confidences = [round(float(p), 5) for p in probabilities.max(axis=1)[keep].tolist()] or [0]
    text = "".join(characters[i] for i in best[keep])
    return text, float(np.mean(confidences).round(5))


# ---------------------------------------------------------------------------------------------
# A page


def _fit(image: Gray) -> tuple[Gray, float, float]:
    """The page at a size OCR takes (sides multiples of ``DET_STRIDE`` when it had to be resized),
    with the factors from it back to the given picture."""
    height, width = image.shape
    if max(height, width) > MAX_PAGE_SIDE:
        ratio = MAX_PAGE_SIDE / max(height, width)
    elif min(height, width) < MIN_PAGE_SIDE:
        ratio = MIN_PAGE_SIDE / min(height, width)
    else:
        return image, 1, 1
    new_height = round(int(height * ratio) / DET_STRIDE) * DET_STRIDE
    new_width = round(int(width * ratio) / DET_STRIDE) * DET_STRIDE
    if new_height <= 0 or new_width <= 0:
        return image, 1, 1
    fitted = np.asarray(cv2.resize(image, (new_width, new_height)), dtype=np.uint8)
    return fitted, height / new_height, width / new_width


def _pad(image: Gray) -> tuple[Gray, int]:
    """Very short or very wide pictures padded with black above and below; the padding."""
    height, width = image.shape
    if height > MIN_DET_HEIGHT and width / height <= MAX_DET_ASPECT:
        return image, 0
    padding = int(abs(max(int(width / MAX_DET_ASPECT), MIN_DET_HEIGHT) * 2 - height) / 2)
    padded = cv2.copyMakeBorder(image, padding, padding, 0, 0, cv2.BORDER_CONSTANT, value=0)
    return np.asarray(padded, dtype=np.uint8), padding


def _segments(image: Gray, page: int) -> list[Segment]:
    models = _models()
    height, width = image.shape
    fitted, ratio_y, ratio_x = _fit(image)
    padded, padding = _pad(fitted)
    del fitted
    boxes = _find_boxes(models, padded)
    if not boxes:
        return []
    lines = [_crop(padded, box) for box in boxes]
    del padded
    read = _recognize(models, lines)
    del lines
    segments: list[Segment] = []
    for box, (text, score) in zip(boxes, read, strict=True):
        if score < MIN_TEXT_SCORE or not text.strip():
            continue
        xs = np.clip((box[:, 0] - 0) * ratio_x, 0, width)
        ys = np.clip((box[:, 1] - padding) * ratio_y, 0, height)
        segments.append(
            Segment(
                text=text,
                bbox=(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())),
                confidence=round(score, 4),
                page=page,
            )
        )
    return segments


def _read(image: Gray, page: int) -> tuple[list[Segment], float]:
    with _LOCK:
        segments = _segments(image, page)
    release_memory()
    if not segments:
        return [], 0
    weights = [len(s.text) for s in segments]
    mean = sum(s.confidence * w for s, w in zip(segments, weights, strict=True)) / sum(weights)
    return segments, mean


def recognize_page(image: Gray, page: int, try_half_turn: bool = True) -> OcrPage:
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
    _models()
