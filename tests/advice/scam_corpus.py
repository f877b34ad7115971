"""The scam-check message collections: the tuning split, the held-out test split, real messages.

* ``tests/fixtures/scam_messages/tuning/`` - messages written for the project, used to set the
  weights and thresholds of ``scam_signals.yaml``;
* ``tests/fixtures/scam_messages/test/`` - messages written the same way and held out: they are
  only scored, never used to set anything;
* ``tests/fixtures/scam_messages/real/messages.jsonl`` - real scam and genuine IRS messages as
  published (each with its channel and source; see the README there).

A message went to the tuning or the test split by the first byte of the SHA-256 of its id
(below 0.6 of the range: tuning), so the split was not chosen by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from balancedue.rules.scam_signals import Channel, Verdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scam_messages"

# how the real collection names its channels
REAL_CHANNELS = {
    "sms": Channel.TEXT,
    "email": Channel.EMAIL,
    "letter": Channel.LETTER,
    "phone_call": Channel.CALL,
    "voicemail": Channel.VOICEMAIL,
    "social": Channel.SOCIAL,
    "web": Channel.WEB,
}


@dataclass(frozen=True)
class Message:
    id: str
    channel: Channel
    truth: str  # "scam" or "genuine"
    expected: Verdict | None  # the verdict a careful reader would give (None: not written)
    text: str
    source: str | None = None


def load_split(name: str) -> list[Message]:
    """Every message of the ``tuning`` or ``test`` split."""
    messages: list[Message] = []
    for path in sorted((FIXTURES / name).glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text("utf-8"))["messages"]:
            messages.append(
                Message(
                    id=entry["id"],
                    channel=Channel(entry["channel"]),
                    truth=entry["truth"],
                    expected=Verdict(entry["expected"]),
                    text=entry["text"],
                )
            )
    return messages


def load_real() -> list[Message]:
    """The real messages, with their published channel and source."""
    messages: list[Message] = []
    for line in (FIXTURES / "real" / "messages.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        messages.append(
            Message(
                id=entry["id"],
                channel=REAL_CHANNELS[entry["channel"]],
                truth="scam" if entry["label"] == "scam" else "genuine",
                expected=None,
                text=entry["text"],
                source=entry["source"],
            )
        )
    return messages


def right_class(truth: str, verdict: Verdict) -> bool:
    """A scam must come out likely scam or suspicious; a genuine message anything else."""
    return verdict.points_to_scam is (truth == "scam")


def confusion_table(title: str, rows: Iterable[tuple[Message, Verdict]]) -> str:
    """Truth by verdict, class accuracy, and precision and recall per verdict (when written)."""
    pairs = list(rows)
    counts = Counter((m.truth, v) for m, v in pairs)
    order = [Verdict.LIKELY_SCAM, Verdict.SUSPICIOUS, Verdict.NOT_ENOUGH, Verdict.CONSISTENT]
    lines = [f"{title}: {len(pairs)} messages", f"{'truth':<10}" + "".join(f"{v.value:>13}" for v in order)]
    for truth in ("scam", "genuine"):
        lines.append(f"{truth:<10}" + "".join(f"{counts[(truth, v)]:>13}" for v in order))
    right = sum(right_class(m.truth, v) for m, v in pairs)
    lines.append(f"right class: {right}/{len(pairs)} = {right / len(pairs):.3f}")
    with_expected = [(m, v) for m, v in pairs if m.expected is not None]
    if with_expected:
        for verdict in order:
            said = sum(1 for _, v in with_expected if v is verdict)
            meant = sum(1 for m, _ in with_expected if m.expected is verdict)
            both = sum(1 for m, v in with_expected if v is verdict and m.expected is verdict)
            precision = f"{both / said:.2f}" if said else "-"
            recall = f"{both / meant:.2f}" if meant else "-"
            lines.append(
                f"  {verdict.value:<12} precision {precision:>4} ({both}/{said})"
                f"  recall {recall:>4} ({both}/{meant})"
            )
    return "\n".join(lines)
