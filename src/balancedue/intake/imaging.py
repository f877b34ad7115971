"""Step 3 for pictures: load a photo or scan safely and clean it up for OCR.

Loading guards against decompression bombs (the pixel count is checked from the header,
before any pixel is decoded) and shrinks very large photos while decoding.  Clean-up flattens
uneven light, straightens the page (quarter turns and small skew) and, when a page stands out
from a darker background, undoes the perspective of a photo taken at an angle.  A bright shape
that would leave text outside it (the lit half of a light page on a light table) is not taken
for the page.  Quarter turns are told from the direction of the long runs that text lines make,
which holds for pages of short lines too.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from balancedue.errors import DocumentTooLargeError, UnreadableDocumentError

log = logging.getLogger(__name__)

Gray = NDArray[np.uint8]

MAX_IMAGE_PIXELS = 120_000_000
"""Pictures with more pixels than this (read from the header) are refused unread."""

MAX_IMAGE_FRAMES = 6
"""Frames (pages) read from a multi-page TIFF."""

WORK_MAX_SIDE = 2400
"""Longest side, in pixels, of the picture handed to OCR."""

ANALYSIS_SIDE = 900
"""Longest side of the small copy used to measure skew, orientation and the page outline."""

MAX_SKEW_DEGREES = 12
"""Largest skew searched for; beyond it the page is read as it is."""

MIN_SKEW_DEGREES = 1 / 5
"""Skew smaller than this is left alone."""

MIN_PAGE_AREA_SHARE = 30 / 100
"""A four-cornered outline must cover at least this share of the photo to be taken as the page."""

MAX_PAGE_AREA_SHARE = 97 / 100
"""An outline covering more than this share is the photo's own border, not the page."""

JOIN_LETTERS = 7
"""Pixels (at the analysis size) bridged to join letters into words and lines."""

MIN_LINE_RUN = 31
"""Pixels (at the analysis size) a run of joined letters needs to count as a text line."""

MAX_TEXT_LEFT_OUT = 5 / 100
"""A page outline that leaves more of the picture's text marks outside than this is not the page."""

EDGE_BAND_SHARE = 3 / 100
"""Around a page outline, marks this close (share of the picture's side) belong to the page edge."""


@dataclass(frozen=True, slots=True)
class CleanPage:
    """A page picture ready for OCR, with what was done to it."""

    image: Gray
    rotation: int
    skew: float
    flattened: bool
    perspective: bool


def load_images(data: bytes, name: str, heif: bool = False) -> Iterator[Image.Image]:
    """The frames of a picture file as grayscale images, shrunk to at most ``WORK_MAX_SIDE``.

    The size is checked from the header first; each frame is then decoded only when it is asked
    for, so a multi-page scan holds one page picture at a time.
    """
    if heif:
        _register_heif(name)
    with _decoding(name):
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise DocumentTooLargeError(
                name,
                f"the picture is {width}x{height} pixels ({width * height // 1_000_000} megapixels), "
                f"more than the {MAX_IMAGE_PIXELS // 1_000_000} megapixel limit",
                "take the photo again at a lower resolution",
            )
        count = min(getattr(image, "n_frames", 1), MAX_IMAGE_FRAMES)
    for index in range(count):
        with _decoding(name):
            image.seek(index)
            frame = _shrunk_gray(image)
        yield frame


@contextmanager
def _decoding(name: str) -> Iterator[None]:
    """Decoding errors as one clear line about the file ``name``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    except Image.DecompressionBombError:
        raise DocumentTooLargeError(name, "the picture is too large to decode safely", "take the photo again") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        log.debug("image decode failed: %s", type(exc).__name__)
        raise UnreadableDocumentError(name, "the picture is damaged or in an unknown format", "save it again as PNG or JPEG") from None


def _register_heif(name: str) -> None:
    try:
        import pillow_heif
    except ImportError:
        raise UnreadableDocumentError(
            name, "HEIC photos need the pillow-heif package", "install it, or save the photo as JPEG"
        ) from None
    pillow_heif.register_heif_opener()


def _shrunk_gray(image: Image.Image) -> Image.Image:
    width, height = image.size
    factor = max(width, height) / WORK_MAX_SIDE
    if factor > 1 and image.format == "JPEG":
        image.draft("L", (max(1, int(width / factor)), max(1, int(height / factor))))
    image = ImageOps.exif_transpose(image) or image
    gray = image.convert("L")
    width, height = gray.size
    factor = max(width, height) / WORK_MAX_SIDE
    if factor > 1:
        gray = gray.resize((max(1, round(width / factor)), max(1, round(height / factor))), Image.Resampling.LANCZOS)
    return gray


def clean_page(image: Image.Image, straighten: bool = True) -> CleanPage:
    """Flatten light, undo perspective, turn and deskew a page picture."""
    gray: Gray = np.asarray(image, dtype=np.uint8)
    perspective = False
    if straighten:
        warped = _undo_perspective(gray)
        if warped is not None:
            gray, perspective = warped, True
    gray, flattened = _flatten_light(gray)
    rotation = 0
    skew: float = 0
    if straighten:
        rotation = _quarter_turn(gray)
        if rotation:
            gray = turn(gray, rotation)
        skew = _skew_angle(gray)
        if abs(skew) >= MIN_SKEW_DEGREES:
            gray = _rotate_small(gray, skew)
    return CleanPage(image=gray, rotation=rotation, skew=skew, flattened=flattened, perspective=perspective)


def turn(gray: Gray, degrees: int) -> Gray:
    """The picture turned clockwise by a multiple of 90 degrees."""
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    if degrees % 360 == 0:
        return gray
    return np.ascontiguousarray(cv2.rotate(gray, turns[degrees % 360]))


def _small(gray: Gray) -> tuple[Gray, float]:
    height, width = gray.shape
    factor = max(height, width) / ANALYSIS_SIDE
    if factor <= 1:
        return gray, 1
    size = (max(1, round(width / factor)), max(1, round(height / factor)))
    small = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8), factor


def _flatten_light(gray: Gray) -> tuple[Gray, bool]:
    """Divide by the estimated background so shadows and uneven light disappear."""
    small, _ = _small(gray)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    background = cv2.dilate(small, kernel)
    background = cv2.medianBlur(background, 21)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    spread = float(np.percentile(background, 95) - np.percentile(background, 5))
    if spread < 12:
        return _stretch(gray), False
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return _stretch(np.asarray(flat, dtype=np.uint8)), True


def _stretch(gray: Gray) -> Gray:
    low, high = np.percentile(gray, (1 / 2, 995 / 10))
    if high - low < 10:
        return gray
    scaled = (gray.astype(np.float32) - float(low)) * (255 / float(high - low))
    return np.asarray(np.clip(scaled, 0, 255), dtype=np.uint8)


def _ink(small: Gray) -> Gray:
    """A binary copy where text is 1."""
    _, binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(binary, dtype=np.uint8)


def _profile_score(binary: Gray) -> float:
    rows = binary.sum(axis=1).astype(np.float64)
    return float(np.var(np.diff(rows)))


def _quarter_turn(gray: Gray) -> int:
    """90 when the text lines run up and down (the page lies on its side), else 0.

    Telling 0 from 180 degrees needs the text itself; OCR does that later.
    """
    binary = _ink(_small(gray)[0])
    if binary.sum() < 50:
        return 0
    upright = _line_runs(binary)
    sideways = _line_runs(np.ascontiguousarray(binary.T))
    return 90 if sideways > upright * 3 / 2 else 0


def _line_runs(binary: Gray) -> int:
    """How much ink lies in long horizontal runs once letters are joined into words and lines.

    Text lines make long horizontal runs whatever the layout (a page of short lines too); turned
    a quarter, the same page makes long vertical runs instead.
    """
    joined = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (JOIN_LETTERS, 1)))
    runs = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (MIN_LINE_RUN, 1)))
    return int(runs.sum())


def _rotate_binary(binary: Gray, degrees: float) -> Gray:
    height, width = binary.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1)
    return np.asarray(cv2.warpAffine(binary, matrix, (width, height), flags=cv2.INTER_NEAREST), dtype=np.uint8)


def _skew_angle(gray: Gray) -> float:
    """The small rotation, in degrees, that makes text lines horizontal (projection profiles)."""
    binary = _ink(_small(gray)[0])
    if binary.sum() < 50:
        return 0

    def best(candidates: NDArray[np.float64]) -> float:
        scores = [_profile_score(_rotate_binary(binary, float(a))) for a in candidates]
        return float(candidates[int(np.argmax(scores))])

    coarse = best(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1 / 100, 1))
    return round(best(np.arange(coarse - 9 / 10, coarse + 91 / 100, 15 / 100)), 2)


def _rotate_small(gray: Gray, degrees: float) -> Gray:
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1)
    rotated = cv2.warpAffine(
        gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return np.asarray(rotated, dtype=np.uint8)


def _undo_perspective(gray: Gray) -> Gray | None:
    """The page cut out and squared when a bright four-cornered page stands out from the photo."""
    small, factor = _small(gray)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(outline) / float(small.shape[0] * small.shape[1])
    if not MIN_PAGE_AREA_SHARE <= share <= MAX_PAGE_AREA_SHARE:
        return None
    corners = cv2.approxPolyDP(outline, 2 / 100 * cv2.arcLength(outline, True), True)
    if len(corners) != 4 or not cv2.isContourConvex(corners):
        return None
    if _text_left_out(small, corners) > MAX_TEXT_LEFT_OUT:
        # On a light surface with light falling off, the bright shape is the lit part of the
        # scene, not the page: cutting it out would drop the text in the shade.
        return None
    points = _order_corners(corners.reshape(4, 2).astype(np.float32) * factor)
    top = np.linalg.norm(points[1] - points[0])
    bottom = np.linalg.norm(points[2] - points[3])
    left = np.linalg.norm(points[3] - points[0])
    right = np.linalg.norm(points[2] - points[1])
    width, height = int(max(top, bottom)), int(max(left, right))
    if width < 200 or height < 200:
        return None
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(points, target)
    warped = cv2.warpPerspective(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    return np.asarray(warped, dtype=np.uint8)


def _text_left_out(small: Gray, corners: NDArray[Any]) -> float:
    """The share of the picture's text-like marks that lie outside the page outline ``corners``.

    Marks within a small band around the outline (the page edge itself) are not counted.
    """
    blurred = cv2.GaussianBlur(small, (3, 3), 0)
    ink = cv2.adaptiveThreshold(blurred, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    total = int(ink.sum())
    if total == 0:
        return 0.0  # not law: no marks, nothing left out
    inside = np.zeros_like(small, dtype=np.uint8)
    cv2.fillConvexPoly(inside, corners.reshape(-1, 2).astype(np.int32), 1)
    band = max(3, round(max(small.shape) * EDGE_BAND_SHARE))
    grown = np.asarray(cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (band, band))), dtype=np.uint8)
    return float(int((ink * (1 - grown)).sum()) / total)


def _order_corners(points: NDArray[np.float32]) -> NDArray[np.float32]:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    sums = points.sum(axis=1)
    diffs = np.diff(points, axis=1).ravel()
    return np.array(
        [points[np.argmin(sums)], points[np.argmin(diffs)], points[np.argmax(sums)], points[np.argmax(diffs)]],
        dtype=np.float32,
    )
