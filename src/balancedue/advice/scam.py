"""Is this really the IRS?  A scam check for letters, calls, texts, e-mails, numbers and links.

The check is pure: it reads the signals in ``rules.scam_signals``, the official numbers, sites
and collection agencies in ``rules.contacts`` and the notice catalog in ``rules.notices``, and
returns a :class:`ScamVerdict` with every finding, the direction it points (a positive weight
toward a scam, a negative one toward a real notice), the text that made it fire, why it matters
and the source that says so.

The channel comes first: a letter is how the IRS opens contact; a text, e-mail or social-media
message that asks for money or data in its name is itself evidence.  When the channel is not
given it is inferred from the text, and the verdict says so and from what.

There are four verdicts: ``likely scam``, ``suspicious``, ``not enough to tell`` and
``consistent with a real IRS notice``.  The last needs positive evidence (a notice code from
the catalog, the layout of a notice, payment to the United States Treasury, the taxpayer
authentication number); the absence of red flags alone is "not enough to tell".  A text that
warns about scams and quotes them (an IRS or TIGTA release, a news report) is recognised as
such: the demands it quotes are not counted as demands made to the reader.

:func:`check_message` is the one checker for text: ``analyze``, ``scam-check`` and the web page
all call it, and the same text and channel give the same verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from balancedue.advice.scam_checker import FiredSignal, SignalChecker, fill_placeholders
from balancedue.advice.scam_text import (
    PreparedText,
    keypad_digits,
    parse_link,
)
from balancedue.errors import InputError
from balancedue.rules import RuleSet
from balancedue.rules.contacts import normalize_phone
from balancedue.rules.scam_signals import (
    Channel,
    Detector,
    InputKind,
    ScamSignals,
    Verdict,
)

ZERO = Decimal(0)

# The channel a legacy ``kind`` stands for when the text gives no better clue.
_KIND_CHANNEL = {
    InputKind.LETTER: Channel.LETTER,
    InputKind.MESSAGE: Channel.TEXT,
    InputKind.CALL: Channel.CALL,
}


@dataclass(frozen=True)
class ReportStep:
    """Where to report, and how to reach it."""

    name: str
    what: str
    phone: str | None
    url: str | None
    email: str | None
    sms: str | None

    def line(self) -> str:
        """``name: url | e-mail ... | phone ... | text ...`` on one line."""
        parts = [
            self.url,
            f"e-mail {self.email}" if self.email else None,
            f"phone {self.phone}" if self.phone else None,
            f"text {self.sms}" if self.sms else None,
        ]
        return f"{self.name}: " + " | ".join(p for p in parts if p)


@dataclass(frozen=True)
class ScamVerdict:
    """The answer of the scam check."""

    verdict: Verdict
    label: str
    kind: InputKind
    channel: Channel | None
    channel_inferred_from: str | None
    checked: str
    score: Decimal
    signals: tuple[FiredSignal, ...]
    summary: str
    next_steps: tuple[str, ...]
    how_to_verify: tuple[str, ...]
    what_not_to_do: tuple[str, ...]
    where_to_report: tuple[ReportStep, ...]

    @property
    def red_flags(self) -> tuple[FiredSignal, ...]:
        """Signals that point to a scam."""
        return tuple(s for s in self.signals if s.weight > 0)

    @property
    def genuine_marks(self) -> tuple[FiredSignal, ...]:
        """Signals that point to a genuine notice."""
        return tuple(s for s in self.signals if s.weight < 0)

    @property
    def channel_line(self) -> str | None:
        """"Checked as a letter (given)" or "... (inferred from ...)"; ``None`` for a number or link."""
        if self.channel is None:
            return None
        how = (
            f"inferred from {self.channel_inferred_from}; give the channel if it is wrong"
            if self.channel_inferred_from
            else "as given"
        )
        return f"Checked as: {self.channel.value} ({how})"

    def as_report_section(self) -> dict[str, Any]:
        """The "Is this real?" section of the analysis report, as plain data.

        Keys: ``verdict`` (the label), ``summary``, ``signals`` (id, title, weight, matched,
        explanation, source), ``how_to_verify`` and ``where_to_report`` (one line each).
        """
        return {
            "verdict": self.label,
            "summary": self.summary,
            "signals": [
                {
                    "id": s.id,
                    "title": s.title,
                    "weight": str(s.weight),
                    "matched": s.snippet or None,
                    "explanation": s.explanation,
                    "source": s.source.short(),
                }
                for s in self.signals
            ],
            "how_to_verify": list(self.how_to_verify),
            "where_to_report": [step.line() for step in self.where_to_report],
        }


@dataclass(frozen=True)
class ChannelGuess:
    """The channel inferred from a text, and what it was inferred from."""

    channel: Channel
    reason: str


def infer_channel(
    text: str, signals: ScamSignals, within: InputKind | None = None
) -> ChannelGuess:
    """The channel a text most likely came by: mail headers, a transcript, a letterhead ...

    ``within`` limits the answer to the channels of one family (a legacy ``--kind``).  The
    cues are tried in the order of ``scam_signals.yaml``; with none, a short text is read as a
    text message and anything longer as a letter, and the reason says so.
    """
    inference = signals.channel_inference
    lowered = text.lower().replace("’", "'")
    for cue in inference.cues:
        if within is not None and cue.channel.kind is not within:
            continue
        head = lowered[: cue.head_chars] if cue.head_chars else lowered
        prepared = PreparedText(head)
        found = sum(1 for phrase in cue.phrases if next(prepared.find_phrase(phrase), None) is not None)
        found += sum(len(re.findall(pattern, head)) for pattern in cue.patterns)
        if found >= cue.min_found:
            return ChannelGuess(cue.channel, cue.what)
    if within is not None:
        return ChannelGuess(_KIND_CHANNEL[within], f"the kind given ({within.value})")
    short = len(text.strip()) <= inference.short_text_chars
    channel = inference.short_text_channel if short else inference.default_channel
    shape = "short and in one piece" if short else "longer"
    return ChannelGuess(channel, f"its shape only ({shape}, with no other clue)")


# -- entry points --------------------------------------------------------------------------------


def check_message(
    text: str,
    rules: RuleSet,
    kind: InputKind | None = None,
    as_of: date | None = None,
    *,
    from_ocr: bool = False,
    channel: Channel | None = None,
) -> ScamVerdict:
    """Check a letter, e-mail, text message, social-media message, call, voicemail or web page.

    ``channel`` is how it arrived; when it is ``None`` it is inferred from the text (within
    ``kind``'s family when a kind is given) and the verdict says it was inferred and from what.
    ``as_of`` is the day the check is made, for the list of collection agencies under contract
    (without it, the agencies still under contract are used).  ``from_ocr`` says the text was
    read from a scan or photo, so spelling-based signals (``ocr_unreliable``) are not used.
    """
    if "\x00" in text:
        raise InputError(
            "the input looks binary (it contains NUL bytes); give the text, a .txt or .eml file"
        )
    if not text.strip():
        raise InputError(
            "nothing to check: the text is empty; give the words of the letter, call or message"
        )
    if kind is not None and not kind.is_text:
        raise InputError(
            f"kind {kind.value!r} is for --phone or --url; use letter, message or call for text"
        )
    inferred_from: str | None = None
    if channel is None:
        guess = infer_channel(text, rules.scam_signals, within=kind)
        channel, inferred_from = guess.channel, guess.reason
    elif kind is not None and channel.kind is not kind:
        raise InputError(
            f"channel {channel.value!r} is not a {kind.value}; give one of the two, not both"
        )
    kind = channel.kind
    prepared = PreparedText(text)
    checker = SignalChecker(rules, kind, as_of, prepared, channel)
    fired = checker.run(skip=rules.scam_signals.ocr_unreliable if from_ocr else frozenset())
    words = len(prepared.tokens())
    read = " read from a scan" if from_ocr else ""
    return _verdict(
        rules,
        kind,
        f"{channel.value} of {words:,} words{read}",
        fired,
        as_of,
        channel=channel,
        inferred_from=inferred_from,
    )


def check_phone(number: str, rules: RuleSet, as_of: date | None = None) -> ScamVerdict:
    """Check a phone number on its own (from caller ID, a voicemail or a letter)."""
    raw = number.strip()
    if not raw:
        raise InputError("nothing to check: the phone number is empty")
    if any(c.isalpha() for c in raw):
        raw = keypad_digits(raw)
    digits = re.sub(r"\D", "", raw)
    checker = SignalChecker(rules, InputKind.PHONE, as_of, PreparedText(""))
    if raw.startswith("+") and not raw.startswith("+1") and 7 <= len(digits) <= 15:
        fired = checker.fire_detector(Detector.FOREIGN_PHONE, raw)
        return _verdict(rules, InputKind.PHONE, raw, fired, as_of)
    normalized = normalize_phone(raw)
    if normalized is None:
        raise InputError(
            f"{number!r} is not a phone number; give a US number such as 800-829-1040 "
            "or an international one starting with +"
        )
    fired = checker.classify_phone(normalized)
    return _verdict(rules, InputKind.PHONE, normalized, fired, as_of)


def check_url(url: str, rules: RuleSet, as_of: date | None = None) -> ScamVerdict:
    """Check a link on its own (from an e-mail, a text or a letter)."""
    raw = url.strip()
    if not raw:
        raise InputError("nothing to check: the link is empty")
    if any(c.isspace() for c in raw):
        raise InputError(
            f"{url!r} is not a link (it contains spaces); give one address such as https://www.irs.gov"
        )
    link = parse_link(raw)
    if link is None:
        raise InputError(
            f"{url!r} is not a link with a site name; give an address such as https://www.irs.gov"
        )
    checker = SignalChecker(rules, InputKind.URL, as_of, PreparedText(""))
    fired = checker.classify_links([link])
    return _verdict(rules, InputKind.URL, link.host, fired, as_of)


def _verdict(
    rules: RuleSet,
    kind: InputKind,
    checked: str,
    fired: dict[str, FiredSignal],
    as_of: date | None,
    *,
    channel: Channel | None = None,
    inferred_from: str | None = None,
) -> ScamVerdict:
    signals = rules.scam_signals
    scoring = signals.scoring
    shown = [f for f in fired.values() if signals.get(f.id).spec.shown]
    red = sum((f.weight for f in fired.values() if f.weight > 0), ZERO)
    credit = sum((f.weight for f in fired.values() if f.weight < 0), ZERO)
    score = red + max(credit, scoring.genuine_credit_cap)
    if score >= scoring.likely_scam_from:
        verdict = Verdict.LIKELY_SCAM
    elif score >= scoring.suspicious_from:
        verdict = Verdict.SUSPICIOUS
    elif _has_positive_evidence(kind, fired, -credit, scoring.consistent_from,
                                scoring.consistent_needs_any):
        verdict = Verdict.CONSISTENT
    else:
        verdict = Verdict.NOT_ENOUGH
    specs = [signals.get(f.id).spec for f in fired.values()]
    for ceiling in (s.ceiling for s in specs if s.ceiling is not None):
        if ceiling.severity < verdict.severity:
            verdict = ceiling
    for floor in (s.floor for s in specs if s.floor is not None):
        if floor.severity > verdict.severity:
            verdict = floor
    advice = signals.advice.verdicts[verdict]
    reports = tuple(
        ReportStep(
            name=channel.name,
            what=channel.what,
            phone=channel.phone,
            url=channel.url,
            email=channel.email,
            sms=channel.sms,
        )
        for channel in (
            rules.contacts.reporting_channel(i) for i in advice.report_by_kind.get(kind, ())
        )
    )
    ordered = sorted(shown, key=lambda f: (-f.weight, f.id))
    return ScamVerdict(
        verdict=verdict,
        label=advice.labels_by_kind.get(kind, advice.label),
        kind=kind,
        channel=channel,
        channel_inferred_from=inferred_from,
        checked=checked,
        score=score,
        signals=tuple(ordered),
        summary=fill_placeholders(advice.summary, rules, as_of),
        next_steps=tuple(fill_placeholders(t, rules, as_of) for t in advice.next_steps),
        how_to_verify=tuple(
            fill_placeholders(t, rules, as_of) for t in signals.advice.how_to_verify
        ),
        what_not_to_do=tuple(fill_placeholders(t, rules, as_of) for t in advice.what_not_to_do),
        where_to_report=reports,
    )


def _has_positive_evidence(
    kind: InputKind,
    fired: dict[str, FiredSignal],
    genuine: Decimal,
    needed: Decimal,
    needs_any: tuple[str, ...],
) -> bool:
    """Whether the genuine marks are enough for "consistent" (never their mere absence).

    A number or a link on its own is consistent when it is on the official list.  A text needs
    genuine marks worth ``needed`` among which one that ties it to a real notice.
    """
    if kind in {InputKind.PHONE, InputKind.URL}:
        return genuine > 0
    return genuine >= needed and any(mark in fired for mark in needs_any)
