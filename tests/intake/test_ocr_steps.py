"""The steps around the OCR models: the detection size, line batches bounded by width, CTC decoding.

The end-to-end reading of photos is measured by the accuracy tests; these check the pure steps
with figures worked out by hand.
"""

from __future__ import annotations

import numpy as np

from balancedue.intake.ocr import (
    REC_BATCH,
    REC_BATCH_WIDTH,
    REC_MIN_WIDTH,
    _batches,
    _decode,
    _det_size,
)


def test_detection_size_is_capped_and_a_multiple_of_32() -> None:
    # 1994 x 1534: the long side becomes 1024; 1534 * 1024 / 1994 = 787.8 -> int 787 -> 787 / 32 =
    # 24.6 -> 25 * 32 = 800.
    assert _det_size(1994, 1534) == (1024, 800)
    # Small enough already: only rounded to multiples of 32 (500 / 32 = 15.6 -> 16 -> 512; 300 / 32
    # = 9.4 -> 9 -> 288).
    assert _det_size(500, 300) == (512, 288)


def test_lines_are_batched_narrowest_first_within_the_width_budget() -> None:
    widths = [100.0, 900.0, 350.0, 2000.0, 300.0, 400.0]
    # Narrowest first: 100 (0), 300 (4), 350 (2), 400 (5), 900 (1), 2000 (3).  Lines are padded
    # to at least 320: 0, 4 and 2 fit three to a batch (3 x 350 = 1050 <= 2400); 5 opens the next
    # batch (three already); 1 joins it (2 x 900 = 1800); 3 would make 3 x 2000 = 6000 and is
    # read alone.
    assert REC_BATCH == 3
    assert REC_BATCH_WIDTH == 2400
    assert REC_MIN_WIDTH == 320
    assert _batches(widths) == [[0, 4, 2], [5, 1], [3]]


def test_every_batch_of_many_lines_stays_within_the_budget() -> None:
    rng = np.random.default_rng(7)
    widths = [float(w) for w in rng.uniform(40, 3000, size=200)]
    batches = _batches(widths)
    assert sorted(i for batch in batches for i in batch) == list(range(200))
    for batch in batches:
        assert len(batch) <= REC_BATCH
        padded = max(REC_MIN_WIDTH, *(widths[i] for i in batch))
        assert len(batch) == 1 or len(batch) * padded <= REC_BATCH_WIDTH


def test_ctc_decoding_merges_repeats_and_drops_blanks() -> None:
    characters = ("", "a", "b", " ")  # the blank first, the space last, as the model lists them
    best = [1, 1, 0, 1, 2, 2, 3]
    scores = [0.9, 0.5, 0.99, 0.8, 0.7, 0.4, 0.6]
    probabilities = np.full((len(best), len(characters)), 0.01, dtype=np.float32)
    for step, (index, score) in enumerate(zip(best, scores, strict=True)):
        probabilities[step, index] = score
    # Kept steps: 0 (a), 3 (a after a blank), 4 (b), 6 (space); step 1 repeats a, step 2 is the
    # blank, step 5 repeats b.  Score: the mean of 0.9, 0.8, 0.7 and 0.6 = 0.75.
    assert _decode(probabilities, characters) == ("aab ", 0.75)


def test_ctc_decoding_of_only_blanks_is_empty_with_score_zero() -> None:
    probabilities = np.zeros((4, 3), dtype=np.float32)
    probabilities[:, 0] = 1
    assert _decode(probabilities, ("", "a", " ")) == ("", 0)
