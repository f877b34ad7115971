"""The signals the scam check looks for, their weights, the verdict thresholds and the advice.

Everything the check knows about IRS impersonation lives in ``data/scam_signals.yaml``: each
signal has an id, a title, a kind, the inputs it applies to (letter, message, call, phone,
url), how it is recognised (phrases, bounded regular expressions, or one of the built-in
detectors for links, phone numbers and notice codes), a weight written as a string, a plain
explanation, what to do, and the source that says why.  Positive weights point to a scam,
negative weights to a genuine notice.

Patterns are compiled and checked at load time.  Only bounded repetition is allowed
(``{m,n}`` with a small ``n``, and ``?``): no ``*``, no ``+``, no back-references and no
repeated groups beyond a few, so that no pattern can backtrack catastrophically on a long input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from balancedue.errors import RulesDataError
from balancedue.rules.contacts import resolve_source_keys
from balancedue.rules.sources import FrozenModel, Source

SIGNAL_ID_PATTERN = r"^[a-z][a-z_]*(\.[a-z0-9_]+)+$"
MAX_REPEAT = 80
MAX_GROUP_REPEAT = 4
PLACEHOLDER = re.compile(r"\{(phone|reporting|pcas)(?::([a-z0-9_]+))?\}")


class InputKind(StrEnum):
    """What is being checked."""

    LETTER = "letter"
    MESSAGE = "message"
    CALL = "call"
    PHONE = "phone"
    URL = "url"

    @property
    def is_text(self) -> bool:
        """Letters, messages and calls are checked as text; phones and urls on their own."""
        return self in {InputKind.LETTER, InputKind.MESSAGE, InputKind.CALL}


class Channel(StrEnum):
    """How the message reached the person: the first thing the check needs to know.

    The IRS opens contact by mail; a text, e-mail or social-media message, or an unexpected
    call, that claims to be the IRS and asks for money or data is itself evidence of a scam.
    """

    LETTER = "letter"
    TEXT = "text"
    EMAIL = "email"
    CALL = "call"
    VOICEMAIL = "voicemail"
    SOCIAL = "social"
    WEB = "web"

    @property
    def kind(self) -> InputKind:
        """The family of signals that read this channel (letter, message or call)."""
        if self is Channel.LETTER:
            return InputKind.LETTER
        if self in {Channel.CALL, Channel.VOICEMAIL}:
            return InputKind.CALL
        return InputKind.MESSAGE


class SignalKind(StrEnum):
    """The family a signal belongs to."""

    IDENTITY = "identity"
    PAYMENT = "payment"
    THREAT = "threat"
    URGENCY = "urgency"
    CHANNEL = "channel"
    CREDENTIAL = "credential"
    LINK = "link"
    PHONE = "phone"
    NOTICE_CODE = "notice_code"
    PRIVATE_COLLECTION = "private_collection"
    SPOOFING = "spoofing"
    LOOKALIKE = "lookalike"
    PRIVATE_LETTER = "private_letter"
    GENUINE = "genuine"
    STRUCTURE = "structure"
    ACTION = "action"
    QUOTING = "quoting"


class Detector(StrEnum):
    """Built-in checks for what phrases cannot express (they read ``contacts`` and ``notices``)."""

    UNOFFICIAL_LINK = "unofficial_link"
    UNOFFICIAL_SENDER = "unofficial_sender"
    LOOKALIKE_LINK = "lookalike_link"
    SHORTENED_LINK = "shortened_link"
    IP_LINK = "ip_link"
    RETIRED_LINK = "retired_link"
    OFFICIAL_LINK = "official_link"
    GOVERNMENT_LINK = "government_link"
    UNOFFICIAL_PHONE = "unofficial_phone"
    FOREIGN_PHONE = "foreign_phone"
    OFFICIAL_PHONE = "official_phone"
    AGENCY_PHONE = "agency_phone"
    FORMER_AGENCY_PHONE = "former_agency_phone"
    KNOWN_NOTICE_CODE = "known_notice_code"
    UNKNOWN_NOTICE_CODE = "unknown_notice_code"
    PAYEE_NOT_TREASURY = "payee_not_treasury"
    AGENCY_NOT_LISTED = "agency_not_listed"
    AGENCY_NAMED = "agency_named"
    LOOKALIKE_NAME = "lookalike_name"
    MIXED_SCRIPT = "mixed_script"
    SCAM_WARNING = "scam_warning"
    CALLER_ID_CAUTION = "caller_id_caution"
    NOTICE_LAYOUT = "notice_layout"
    QUOTED_WARNING = "quoted_warning"


# Detectors whose result depends on what other signals found: evaluated in the second pass.
SECOND_PASS_DETECTORS = frozenset({Detector.SCAM_WARNING})


class Scope(StrEnum):
    """Which form of the text a pattern reads.

    ``words``: lower case, every run of characters other than letters, digits, ``$``, ``%`` and
    ``@`` turned into one space ("Driver's-license" -> "driver s license").  ``text``: lower
    case with whitespace collapsed, punctuation kept (for ``***-**-1234`` or a ``$`` amount).
    """

    WORDS = "words"
    TEXT = "text"


class Verdict(StrEnum):
    """The four answers; the check never says "safe".

    ``consistent`` needs positive evidence of a real notice: the absence of red flags alone
    gives ``not_enough`` ("not enough to tell").
    """

    LIKELY_SCAM = "likely_scam"
    SUSPICIOUS = "suspicious"
    NOT_ENOUGH = "not_enough"
    CONSISTENT = "consistent"

    @property
    def severity(self) -> int:
        """0 consistent, 1 not enough to tell, 2 suspicious, 3 likely scam."""
        return {
            Verdict.CONSISTENT: 0,
            Verdict.NOT_ENOUGH: 1,
            Verdict.SUSPICIOUS: 2,
            Verdict.LIKELY_SCAM: 3,
        }[self]

    @property
    def points_to_scam(self) -> bool:
        """True for ``likely_scam`` and ``suspicious``."""
        return self in {Verdict.LIKELY_SCAM, Verdict.SUSPICIOUS}


def _decimal_text(raw: Any) -> Any:
    if isinstance(raw, float):
        raise ValueError(f"write the number {raw!r} as a quoted string, never a float")
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return raw


def check_bounded(pattern: str) -> None:
    """Raise ``ValueError`` unless every repetition in ``pattern`` is small and bounded."""
    if re.search(r"\\[1-9]|\(\?P=", pattern):
        raise ValueError(f"pattern {pattern!r} uses a back-reference")
    # escapes and character classes cannot repeat by themselves: blank them out first
    bare = re.sub(r"\\.", "e", pattern)
    bare = re.sub(r"\[\^?\]?[^\]]*\]", "c", bare)
    if re.search(r"[*+]", bare):
        raise ValueError(f"pattern {pattern!r} uses * or +; write a bounded {{m,n}} instead")
    for match in re.finditer(r"(\)?)\{(\d{1,4})(?:,(\d{0,4}))?\}", bare):
        upper_text = match.group(3)
        if upper_text == "":
            raise ValueError(f"pattern {pattern!r} has an open-ended {{m,}} repetition")
        upper = int(upper_text) if upper_text is not None else int(match.group(2))
        limit = MAX_GROUP_REPEAT if match.group(1) else MAX_REPEAT
        if upper > limit:
            raise ValueError(
                f"pattern {pattern!r} repeats up to {upper} times; the limit is {limit}"
            )


def normalize_phrase(text: str) -> str:
    """A phrase in the ``words`` form the check searches: lower case, punctuation as spaces.

    A trailing ``*`` (match any word that starts with the phrase's last word) is kept.
    """
    prefix = text.rstrip().endswith("*")
    words = " ".join(re.sub(r"[^0-9a-z$%@]+", " ", text.lower().replace("’", "'")).split())
    return words + "*" if prefix and words else words


class SignalSpec(FrozenModel):
    """One signal as written in ``scam_signals.yaml``."""

    id: str = Field(pattern=SIGNAL_ID_PATTERN)
    title: str = Field(min_length=3)
    kind: SignalKind
    applies_to: tuple[InputKind, ...] = Field(min_length=1)
    channels: tuple[Channel, ...] = Field(
        default=(), description="only these channels (empty: every channel of applies_to)"
    )
    weight: Decimal
    floor: Verdict | None = Field(
        default=None, description="the verdict is at least this when fired"
    )
    ceiling: Verdict | None = Field(
        default=None,
        description="the verdict is at most this, unless another signal's floor is higher",
    )
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    scope: Scope = Scope.WORDS
    detector: Detector | None = None
    negatable: bool = Field(default=True, description="a guidance cue before the match cancels it")
    requires_any: tuple[str, ...] = ()
    unless_any: tuple[str, ...] = ()
    quotable: bool = Field(
        default=True,
        description="in a warning or report that quotes scams, the match is a quotation, not a demand",
    )
    shown: bool = True
    explanation: str = Field(min_length=10)
    what_to_do: str = Field(min_length=5)
    source: Source

    @field_validator("weight", mode="before")
    @classmethod
    def _weight_is_text(cls, raw: Any) -> Any:
        return _decimal_text(raw)

    @field_validator("phrases")
    @classmethod
    def _phrases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        normalized = tuple(normalize_phrase(p) for p in value)
        for original, phrase in zip(value, normalized, strict=True):
            if len(phrase.rstrip("*")) < 2:
                raise ValueError(f"phrase {original!r} is empty once punctuation is removed")
        duplicates = sorted({p for p in normalized if normalized.count(p) > 1})
        if duplicates:
            raise ValueError(f"phrases listed twice: {', '.join(duplicates)}")
        return normalized

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            check_bounded(pattern)
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(
                    f"pattern {pattern!r} is not a valid regular expression: {exc}"
                ) from exc
            if compiled.match(""):
                raise ValueError(f"pattern {pattern!r} matches the empty string")
        return value

    @model_validator(mode="after")
    def _recognisable(self) -> SignalSpec:
        matches_text = bool(self.phrases or self.patterns)
        if not (matches_text or self.detector or self.requires_any or self.unless_any):
            raise ValueError(
                f"signal {self.id!r} needs phrases, patterns, a detector or a condition"
            )
        if self.weight.as_tuple().exponent != 0:
            raise ValueError(f"signal {self.id!r}: weight {self.weight} must be a whole number")
        if (
            self.floor is not None
            and self.ceiling is not None
            and self.ceiling.severity < self.floor.severity
        ):
            raise ValueError(f"signal {self.id!r}: its ceiling is below its floor")
        if self.weight < 0 and self.floor is not None:
            raise ValueError(
                f"signal {self.id!r}: a genuine marker (negative weight) cannot set a floor"
            )
        if self.detector is Detector.PAYEE_NOT_TREASURY and not any(
            "(?P<payee>" in p for p in self.patterns
        ):
            raise ValueError(f"signal {self.id!r}: the payee detector needs a (?P<payee>...) group")
        return self


@dataclass(frozen=True)
class SignalDefinition:
    """A validated signal with its patterns compiled."""

    spec: SignalSpec
    regexes: tuple[re.Pattern[str], ...]

    @property
    def id(self) -> str:
        """The signal id."""
        return self.spec.id

    @property
    def second_pass(self) -> bool:
        """True if the signal depends on what other signals found."""
        return bool(self.spec.requires_any or self.spec.unless_any) or (
            self.spec.detector in SECOND_PASS_DETECTORS
        )


class Scoring(FrozenModel):
    """How the weights of the signals that fired become a verdict."""

    likely_scam_from: Decimal
    suspicious_from: Decimal
    genuine_credit_cap: Decimal = Field(
        description="genuine markers lower the score by at most this"
    )
    consistent_from: Decimal = Field(
        description="genuine evidence (sum of the genuine weights, as a positive number) needed "
        "for 'consistent with a real IRS notice'"
    )
    consistent_needs_any: tuple[str, ...] = Field(
        min_length=1,
        description="at least one of these marks of a real notice must be among the evidence",
    )
    snippet_chars: int = Field(ge=40, le=400)
    source: Source

    @field_validator(
        "likely_scam_from", "suspicious_from", "genuine_credit_cap", "consistent_from", mode="before"
    )
    @classmethod
    def _number_is_text(cls, raw: Any) -> Any:
        return _decimal_text(raw)

    @model_validator(mode="after")
    def _ordered(self) -> Scoring:
        if not self.suspicious_from < self.likely_scam_from:
            raise ValueError("suspicious_from must be below likely_scam_from")
        if self.genuine_credit_cap > 0:
            raise ValueError(
                "genuine_credit_cap is a credit: write it as zero or a negative number"
            )
        if self.consistent_from <= 0:
            raise ValueError("consistent_from must be positive: absence of red flags is not evidence")
        return self


class MarkerGroup(FrozenModel):
    """One family of words that mark a text as a warning or report about scams."""

    name: str = Field(min_length=2)
    phrases: tuple[str, ...] = Field(min_length=1)

    @field_validator("phrases")
    @classmethod
    def _phrases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_phrase(p) for p in value)


class Quoting(FrozenModel):
    """How to recognise a text that quotes scams (an IRS or TIGTA warning, a news report).

    A text is read as quoting when its markers come from at least ``min_groups`` groups, or
    number at least ``min_markers`` in all.  Signals marked ``quotable`` then count as
    quotations, not demands.
    """

    min_groups: int = Field(ge=1, le=5)
    min_markers: int = Field(ge=1, le=20)
    groups: tuple[MarkerGroup, ...] = Field(min_length=1)
    source: Source


class NoticeLayout(FrozenModel):
    """Headings and fields every IRS notice prints; ``min_found`` of them mark a real layout."""

    min_found: int = Field(ge=2, le=20)
    parts: dict[str, tuple[str, ...]] = Field(min_length=2)

    @field_validator("parts")
    @classmethod
    def _phrases(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(normalize_phrase(p) for p in v) for k, v in value.items()}


class ChannelCues(FrozenModel):
    """What a text looks like when it came by a given channel (to infer an unstated channel)."""

    channel: Channel
    what: str = Field(min_length=3, description="how the reason is told to the user")
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    min_found: int = Field(default=1, ge=1, le=10)
    head_chars: int | None = Field(default=None, ge=40, le=20000)

    @field_validator("phrases")
    @classmethod
    def _phrases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_phrase(p) for p in value)

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            check_bounded(pattern)
            re.compile(pattern)
        return value


class ChannelInference(FrozenModel):
    """Cues tried in order; the first that matches names the channel."""

    cues: tuple[ChannelCues, ...] = Field(min_length=1)
    short_text_chars: int = Field(ge=40, le=2000)
    short_text_channel: Channel
    default_channel: Channel


class Negation(FrozenModel):
    """Guidance wording ("the IRS will never ask for gift cards") that cancels a red flag."""

    window: int = Field(ge=10, le=400)
    cues: tuple[str, ...] = Field(min_length=1)

    @field_validator("cues")
    @classmethod
    def _cues(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_phrase(c) for c in value)


class LinkRules(FrozenModel):
    """What the link detectors need besides the official domains in ``contacts.yaml``."""

    bare_domain_tlds: tuple[str, ...] = Field(min_length=1)
    government_suffixes: tuple[str, ...] = ()
    shorteners: tuple[str, ...] = ()
    brand_tokens: tuple[str, ...] = Field(min_length=1)
    homoglyphs: dict[str, str] = Field(default_factory=dict)

    @field_validator("bare_domain_tlds", "brand_tokens")
    @classmethod
    def _lower_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not re.fullmatch(r"[a-z0-9]{2,24}", item):
                raise ValueError(f"{item!r} must be lower-case letters and digits")
        return value


class NameRules(FrozenModel):
    """Official names whose near-misses ("Internal Revenue Servise") are a look-alike sign."""

    official: tuple[str, ...] = Field(min_length=1)
    max_edits: int = Field(ge=1, le=3)

    @field_validator("official")
    @classmethod
    def _normalized(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_phrase(v) for v in value)


class VerdictAdvice(FrozenModel):
    """What to tell the user for one verdict."""

    label: str = Field(min_length=3)
    labels_by_kind: dict[InputKind, str] = Field(default_factory=dict)
    summary: str = Field(min_length=10)
    next_steps: tuple[str, ...] = Field(min_length=1)
    what_not_to_do: tuple[str, ...] = ()
    report_by_kind: dict[InputKind, tuple[str, ...]] = Field(default_factory=dict)


class Advice(FrozenModel):
    """Advice for every verdict, and how to verify (the same whatever the verdict)."""

    how_to_verify: tuple[str, ...] = Field(min_length=1)
    verdicts: dict[Verdict, VerdictAdvice]

    @model_validator(mode="after")
    def _every_verdict(self) -> Advice:
        missing = [v.value for v in Verdict if v not in self.verdicts]
        if missing:
            raise ValueError(f"advice for verdicts {', '.join(missing)} is missing")
        return self


class ScamSignalsFile(FrozenModel):
    """The parsed ``scam_signals.yaml``."""

    schema_version: int
    scoring: Scoring
    negation: Negation
    links: LinkRules
    names: NameRules
    accepted_payees: tuple[str, ...] = Field(min_length=1)
    ocr_unreliable: tuple[str, ...] = Field(
        default=(), description="signals not used on text read by character recognition"
    )
    advice: Advice
    quoting: Quoting
    notice_layout: NoticeLayout
    channel_inference: ChannelInference
    signals: tuple[SignalSpec, ...] = Field(min_length=1)

    @field_validator("accepted_payees")
    @classmethod
    def _payees(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_phrase(v) for v in value)


class ScamSignals:
    """The validated signal catalog with compiled patterns."""

    def __init__(self, data: ScamSignalsFile) -> None:
        self.data = data
        by_id: dict[str, SignalDefinition] = {}
        for spec in data.signals:
            if spec.id in by_id:
                raise RulesDataError("scam_signals.yaml", f"signal {spec.id!r} is listed twice")
            by_id[spec.id] = SignalDefinition(
                spec=spec, regexes=tuple(re.compile(p) for p in spec.patterns)
            )
        for signal in by_id.values():
            for ref in (*signal.spec.requires_any, *signal.spec.unless_any):
                target = by_id.get(ref)
                if target is None:
                    raise RulesDataError(
                        "scam_signals.yaml", f"signal {signal.id!r} refers to unknown {ref!r}"
                    )
                if target.second_pass:
                    raise RulesDataError(
                        "scam_signals.yaml",
                        f"signal {signal.id!r} refers to {ref!r}, which depends on other signals",
                    )
        for ref in data.ocr_unreliable:
            if ref not in by_id:
                raise RulesDataError("scam_signals.yaml", f"ocr_unreliable names unknown {ref!r}")
        for ref in data.scoring.consistent_needs_any:
            target = by_id.get(ref)
            if target is None or target.spec.weight >= 0:
                raise RulesDataError(
                    "scam_signals.yaml",
                    f"scoring.consistent_needs_any: {ref!r} is not a genuine mark (negative weight)",
                )
        self._by_id = by_id

    def __iter__(self) -> Iterator[SignalDefinition]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, signal_id: object) -> bool:
        return signal_id in self._by_id

    def get(self, signal_id: str) -> SignalDefinition:
        """The signal with this id; a rules-data error when unknown."""
        try:
            return self._by_id[signal_id]
        except KeyError:
            raise RulesDataError("scam_signals.yaml", f"no signal {signal_id!r}") from None

    def with_detector(self, detector: Detector) -> tuple[SignalDefinition, ...]:
        """Every signal that uses ``detector``."""
        return tuple(s for s in self._by_id.values() if s.spec.detector is detector)

    @property
    def ocr_unreliable(self) -> frozenset[str]:
        """Signals that are not used on text read by character recognition."""
        return frozenset(self.data.ocr_unreliable)

    @property
    def scoring(self) -> Scoring:
        """Thresholds and caps."""
        return self.data.scoring

    @property
    def negation(self) -> Negation:
        """Guidance cues that cancel a red flag."""
        return self.data.negation

    @property
    def links(self) -> LinkRules:
        """Link-detector data."""
        return self.data.links

    @property
    def names(self) -> NameRules:
        """Official names for the look-alike check."""
        return self.data.names

    @property
    def advice(self) -> Advice:
        """What to tell the user."""
        return self.data.advice

    @property
    def quoting(self) -> Quoting:
        """Markers of a warning or report that quotes scams."""
        return self.data.quoting

    @property
    def notice_layout(self) -> NoticeLayout:
        """Headings and fields of a real notice."""
        return self.data.notice_layout

    @property
    def channel_inference(self) -> ChannelInference:
        """Cues to infer the channel of a text."""
        return self.data.channel_inference

    def placeholders(self) -> list[tuple[str, str | None]]:
        """Every ``{phone:ID}``, ``{reporting:ID}`` and ``{pcas}`` used in the advice text."""
        texts = list(self.data.advice.how_to_verify)
        for advice in self.data.advice.verdicts.values():
            texts += [advice.summary, *advice.next_steps, *advice.what_not_to_do]
        texts += [s.spec.explanation for s in self] + [s.spec.what_to_do for s in self]
        found: list[tuple[str, str | None]] = []
        for text in texts:
            for match in PLACEHOLDER.finditer(text):
                found.append((match.group(1), match.group(2)))
        return found


def parse_scam_signals(raw: Mapping[str, Any]) -> ScamSignals:
    """Validate the mapping loaded from ``scam_signals.yaml``."""
    resolved = resolve_source_keys(raw, "scam_signals.yaml", ("signals", "scoring", "quoting"))
    try:
        data = ScamSignalsFile.model_validate(resolved)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("scam_signals.yaml", f"{where}: {first['msg']}") from exc
    return ScamSignals(data)
