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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from balancedue.advice.scam_text import (
    Link,
    PreparedText,
    classify_link,
    edit_distance,
    find_foreign_phones,
    find_links,
    find_notice_codes,
    find_us_phones,
    keypad_digits,
    parse_link,
)
from balancedue.errors import InputError, RulesDataError, mask_full_ids
from balancedue.rules import RuleSet, Source
from balancedue.rules.contacts import normalize_phone
from balancedue.rules.scam_signals import (
    PLACEHOLDER,
    Channel,
    Detector,
    InputKind,
    ScamSignal,
    ScamSignals,
    Scope,
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
class FiredSignal:
    """One signal that fired, with the text that made it fire."""

    id: str
    title: str
    kind: str
    weight: Decimal
    snippet: str
    explanation: str
    what_to_do: str
    source: Source


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
    checker = _Checker(rules, kind, as_of, prepared, channel)
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
    checker = _Checker(rules, InputKind.PHONE, as_of, PreparedText(""))
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
    checker = _Checker(rules, InputKind.URL, as_of, PreparedText(""))
    fired = checker.classify_links([link])
    return _verdict(rules, InputKind.URL, link.host, fired, as_of)


# -- the checker -----------------------------------------------------------------------------------


class _Checker:
    def __init__(
        self,
        rules: RuleSet,
        kind: InputKind,
        as_of: date | None,
        prepared: PreparedText,
        channel: Channel | None = None,
    ) -> None:
        self.rules = rules
        self.signals = rules.scam_signals
        self.kind = kind
        self.channel = channel
        self.as_of = as_of
        self.prepared = prepared
        self.limit = self.signals.scoring.snippet_chars
        self.fired: dict[str, FiredSignal] = {}
        self.negated: list[str] = []
        self.quoted: list[str] = []

    def _applies(self, signal: ScamSignal) -> bool:
        spec = signal.spec
        if self.kind not in spec.applies_to:
            return False
        return not spec.channels or self.channel is None or self.channel in spec.channels

    # the two passes over a text
    def run(self, skip: frozenset[str] = frozenset()) -> dict[str, FiredSignal]:
        applicable = [s for s in self.signals if self._applies(s) and s.id not in skip]
        detectors: dict[Detector, Callable[[ScamSignal], str | None]] = self._text_detectors()
        for signal in applicable:
            if signal.second_pass:
                continue
            snippet = self._match(signal, detectors)
            if snippet is not None:
                self._fire(signal, snippet)
        self._set_quotations_aside()
        for signal in applicable:
            if not signal.second_pass:
                continue
            spec = signal.spec
            if spec.unless_any and any(ref in self.fired for ref in spec.unless_any):
                continue
            trigger = next(
                (self.fired[ref] for ref in spec.requires_any if ref in self.fired), None
            )
            if spec.requires_any and trigger is None:
                continue
            if spec.phrases or spec.patterns or spec.detector is not None:
                snippet = self._match(signal, detectors)
            else:
                snippet = trigger.snippet if trigger is not None else ""
            if snippet is not None:
                self._fire(signal, snippet)
        self._set_quotations_aside()
        self._note_quotations()
        return self.fired

    def _set_quotations_aside(self) -> None:
        """In a warning or report that quotes scams, quoted demands are not demands."""
        quoting = next((f for f in self.fired.values() if f.kind == "quoting"), None)
        if quoting is None:
            return
        for finding in list(self.fired.values()):
            if finding.weight > 0 and self.signals.get(finding.id).spec.quotable:
                del self.fired[finding.id]
                self.quoted.append(finding.title.lower())

    def _note_quotations(self) -> None:
        quoting = next((f for f in self.fired.values() if f.kind == "quoting"), None)
        if quoting is None or not self.quoted:
            return
        note = f"{quoting.snippet}; quoted, not counted: " + "; ".join(self.quoted)
        limit = self.limit - 1
        text = note if len(note) <= limit + 1 else note[:limit] + "…"
        self.fired[quoting.id] = FiredSignal(**{**quoting.__dict__, "snippet": text})

    def _fire(self, signal: ScamSignal, snippet: str) -> None:
        spec = signal.spec
        self.fired[spec.id] = FiredSignal(
            id=spec.id,
            title=spec.title,
            kind=spec.kind.value,
            weight=spec.weight,
            snippet=mask_full_ids(snippet)[: self.limit + 2],
            explanation=self._fill(spec.explanation),
            what_to_do=self._fill(spec.what_to_do),
            source=spec.source,
        )

    def _match(
        self, signal: ScamSignal, detectors: dict[Detector, Callable[[ScamSignal], str | None]]
    ) -> str | None:
        spec = signal.spec
        if spec.detector is not None:
            return detectors[spec.detector](signal)
        prepared = self.prepared
        negation = self.signals.negation
        for phrase in spec.phrases:
            for start in prepared.find_phrase(phrase):
                if spec.negatable and prepared.is_negated(start, negation.cues, negation.window):
                    self.negated.append(spec.id)
                    continue
                return prepared.snippet(start, prepared.phrase_end(start, phrase), self.limit)
        for regex in signal.regexes:
            in_words = spec.scope is Scope.WORDS
            haystack = prepared.words if in_words else prepared.text
            for count, match in enumerate(regex.finditer(haystack)):
                if count >= 200:
                    break
                if (
                    in_words
                    and spec.negatable
                    and prepared.is_negated(match.start(), negation.cues, negation.window)
                ):
                    self.negated.append(spec.id)
                    continue
                return prepared.snippet(match.start(), match.end(), self.limit, in_words=in_words)
        return None

    # detectors that read a text
    def _text_detectors(self) -> dict[Detector, Callable[[ScamSignal], str | None]]:
        prepared = self.prepared
        links = find_links(prepared, self.signals.links)
        link_classes = [
            (link, classify_link(link, self.rules.contacts, self.signals.links)) for link in links
        ]
        phones = [(found, self._phone_class(found.value)) for found in find_us_phones(prepared)]
        codes = find_notice_codes(prepared)

        def link_of(wanted: str) -> Callable[[ScamSignal], str | None]:
            return lambda _s: _first([link.shown for link, c in link_classes if c == wanted])

        def unofficial(_s: ScamSignal) -> str | None:
            return _first(
                [
                    link.shown
                    for link, c in link_classes
                    if c in {"unofficial", "shortened", "ip"} and not link.address
                ]
            )

        def unofficial_sender(_s: ScamSignal) -> str | None:
            return _first(
                [link.shown for link, c in link_classes if c == "unofficial" and link.address]
            )

        def phone_of(wanted: str) -> Callable[[ScamSignal], str | None]:
            return lambda _s: _first(
                [self._describe_phone(f.value) for f, c in phones if c == wanted]
            )

        def known_code(_s: ScamSignal) -> str | None:
            return _first([f.value for f in codes if self.rules.notices.find(f.value) is not None])

        def unknown_code(_s: ScamSignal) -> str | None:
            return _first([f.value for f in codes if self.rules.notices.find(f.value) is None])

        def foreign(_s: ScamSignal) -> str | None:
            return _first([f.value for f in find_foreign_phones(prepared)])

        def mixed(_s: ScamSignal) -> str | None:
            return _first([f.value for f in prepared.mixed_script_words()])

        def warning(_s: ScamSignal) -> str | None:
            return (
                "a red flag mentioned only as something that will never be asked"
                if self.negated
                else None
            )

        return {
            Detector.UNOFFICIAL_LINK: unofficial,
            Detector.UNOFFICIAL_SENDER: unofficial_sender,
            Detector.LOOKALIKE_LINK: link_of("lookalike"),
            Detector.SHORTENED_LINK: link_of("shortened"),
            Detector.IP_LINK: link_of("ip"),
            Detector.RETIRED_LINK: link_of("retired"),
            Detector.OFFICIAL_LINK: link_of("official"),
            Detector.GOVERNMENT_LINK: link_of("government"),
            Detector.UNOFFICIAL_PHONE: phone_of("unofficial"),
            Detector.OFFICIAL_PHONE: phone_of("official"),
            Detector.AGENCY_PHONE: phone_of("agency"),
            Detector.FORMER_AGENCY_PHONE: phone_of("former_agency"),
            Detector.FOREIGN_PHONE: foreign,
            Detector.KNOWN_NOTICE_CODE: known_code,
            Detector.UNKNOWN_NOTICE_CODE: unknown_code,
            Detector.PAYEE_NOT_TREASURY: self._payee_not_treasury,
            Detector.AGENCY_NOT_LISTED: self._agency_not_listed,
            Detector.AGENCY_NAMED: self._agency_named,
            Detector.LOOKALIKE_NAME: self._lookalike_name,
            Detector.MIXED_SCRIPT: mixed,
            Detector.SCAM_WARNING: warning,
            Detector.CALLER_ID_CAUTION: lambda _s: None,
            Detector.NOTICE_LAYOUT: self._notice_layout,
            Detector.QUOTED_WARNING: self._quoted_warning,
        }

    def _notice_layout(self, _signal: ScamSignal) -> str | None:
        layout = self.signals.notice_layout
        found = [
            part
            for part, phrases in layout.parts.items()
            if any(next(self.prepared.find_phrase(p), None) is not None for p in phrases)
        ]
        if len(found) < layout.min_found:
            return None
        return f"{len(found)} of {len(layout.parts)} parts: " + ", ".join(
            part.replace("_", " ") for part in found
        )

    def _quoted_warning(self, _signal: ScamSignal) -> str | None:
        quoting = self.signals.quoting
        groups = 0
        markers: list[str] = []
        for group in quoting.groups:
            hits = [
                p.rstrip("*")
                for p in group.phrases
                if next(self.prepared.find_phrase(p), None) is not None
            ]
            if hits:
                groups += 1
                markers += hits
        if groups >= quoting.min_groups or len(markers) >= quoting.min_markers:
            return "markers: " + ", ".join(f'"{m}"' for m in markers[:6])
        return None

    def _payee_not_treasury(self, signal: ScamSignal) -> str | None:
        accepted = self.signals.data.accepted_payees
        prepared = self.prepared
        negation = self.signals.negation
        for regex in signal.regexes:
            for count, match in enumerate(regex.finditer(prepared.words)):
                if count >= 200:
                    break
                payee = match.group("payee").strip()
                if payee.startswith("the "):
                    payee = payee[4:]
                if any(payee == name or payee.startswith(name + " ") for name in accepted):
                    continue
                if prepared.is_negated(match.start(), negation.cues, negation.window):
                    self.negated.append(signal.id)
                    continue
                return prepared.snippet(match.start(), match.end(), self.limit)
        return None

    def _agency_names_found(self) -> list[str]:
        found: list[str] = []
        for agency in self.rules.contacts.agencies_on(self.as_of):
            for name in agency.names:
                phrase = " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())
                if next(self.prepared.find_phrase(phrase), None) is not None:
                    found.append(agency.name)
                    break
        return found

    def _agency_not_listed(self, _signal: ScamSignal) -> str | None:
        if self._agency_names_found():
            return None
        trigger = self.fired.get("pca.claims_assignment")
        return trigger.snippet if trigger is not None else "a collection agency not on the IRS list"

    def _agency_named(self, _signal: ScamSignal) -> str | None:
        return _first(self._agency_names_found())

    def _lookalike_name(self, _signal: ScamSignal) -> str | None:
        names = self.signals.names
        words = self.prepared.tokens()
        if not words:
            return None
        anchors = {part for name in names.official for part in name.split(" ") if len(part) >= 5}
        close: dict[str, set[str]] = {}
        for token in set(words):
            near = {
                anchor
                for anchor in anchors
                if abs(len(token) - len(anchor)) <= 2
                and (token[:2] == anchor[:2] or token[-2:] == anchor[-2:])
                and edit_distance(token, anchor, 2) <= 2
            }
            if near:
                close[token] = near
        if not close:
            return None
        positions = self.prepared.word_starts
        for index in (i for i, token in enumerate(words) if token in close):
            for name in names.official:
                parts = name.split(" ")
                for anchor_at, part in enumerate(parts):
                    if part not in close[words[index]]:
                        continue
                    start = index - anchor_at
                    if start < 0:
                        continue
                    for size in (len(parts), len(parts) + 1, len(parts) - 1):
                        window = words[start : start + size]
                        if len(window) < size:
                            continue
                        distance = edit_distance(" ".join(window), name, names.max_edits)
                        if distance == 0:
                            break
                        if distance <= names.max_edits:
                            end = positions[start + size - 1] + len(window[-1])
                            return self.prepared.snippet(positions[start], end, self.limit)
        return None

    # phone numbers and links on their own
    def _phone_class(self, number: str) -> str:
        contacts = self.rules.contacts
        if contacts.phone(number) is not None:
            return "official"
        agency = contacts.agency_for_phone(number)
        if agency is not None:
            return "agency" if agency.is_contracted_on(self.as_of) else "former_agency"
        return "unofficial"

    def _describe_phone(self, number: str) -> str:
        contacts = self.rules.contacts
        official = contacts.phone(number)
        if official is not None:
            return f"{number} ({official.name})"
        agency = contacts.agency_for_phone(number)
        if agency is not None:
            return f"{number} ({agency.name})"
        return number

    def fire_detector(self, detector: Detector, snippet: str) -> dict[str, FiredSignal]:
        for signal in self.signals.with_detector(detector):
            if self._applies(signal):
                self._fire(signal, snippet)
        return self.fired

    def classify_phone(self, number: str) -> dict[str, FiredSignal]:
        found = self._phone_class(number)
        detector = {
            "official": Detector.OFFICIAL_PHONE,
            "agency": Detector.AGENCY_PHONE,
            "former_agency": Detector.FORMER_AGENCY_PHONE,
            "unofficial": Detector.UNOFFICIAL_PHONE,
        }[found]
        self.fire_detector(detector, self._describe_phone(number))
        if found in {"official", "agency"}:
            self.fire_detector(Detector.CALLER_ID_CAUTION, number)
        return self.fired

    def classify_links(self, links: list[Link]) -> dict[str, FiredSignal]:
        for link in links:
            found = classify_link(link, self.rules.contacts, self.signals.links)
            detector = {
                "official": Detector.OFFICIAL_LINK,
                "retired": Detector.RETIRED_LINK,
                "lookalike": Detector.LOOKALIKE_LINK,
                "shortened": Detector.SHORTENED_LINK,
                "ip": Detector.IP_LINK,
                "unofficial": Detector.UNOFFICIAL_LINK,
                "government": Detector.GOVERNMENT_LINK,
            }[found]
            self.fire_detector(detector, link.shown)
            if found in {"shortened", "ip"}:
                self.fire_detector(Detector.UNOFFICIAL_LINK, link.shown)
        return self.fired

    def _fill(self, text: str) -> str:
        return fill_placeholders(text, self.rules, self.as_of)


def fill_placeholders(text: str, rules: RuleSet, as_of: date | None = None) -> str:
    """Replace ``{phone:ID}`` and ``{pcas}`` in advice text with the figures from ``contacts``."""

    def replace(match: re.Match[str]) -> str:
        what, key = match.group(1), match.group(2)
        if what == "phone" and key:
            return rules.contacts.phone_by_id(key).number
        if what == "reporting" and key:
            return rules.contacts.reporting_channel(key).name
        if what == "pcas":
            agencies = rules.contacts.agencies_on(as_of)
            return ", ".join(f"{a.name} ({a.phone})" for a in agencies) or "none listed"
        raise RulesDataError("scam_signals.yaml", f"placeholder {match.group(0)!r} needs an id")

    return PLACEHOLDER.sub(replace, text)


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


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
