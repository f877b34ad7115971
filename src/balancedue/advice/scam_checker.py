"""The signal checker behind the scam check (advice/scam.py): which signals a text, a phone
number or a link fires, and the text that made each fire."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from balancedue.advice.scam_text import (
    Link,
    PreparedText,
    classify_link,
    edit_distance,
    find_foreign_phones,
    find_links,
    find_notice_codes,
    find_us_phones,
)
from balancedue.errors import RulesDataError, mask_full_ids
from balancedue.rules import RuleSet, Source
from balancedue.rules.contacts import Contacts
from balancedue.rules.scam_signals import (
    PLACEHOLDER,
    Channel,
    Detector,
    InputKind,
    ScamSignals,
    Scope,
    SignalDefinition,
)


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


# -- the checker -----------------------------------------------------------------------------------


class SignalChecker:
    """Fires the signals of ``rules.scam_signals`` that a text, number or link shows."""

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

    def _applies(self, signal: SignalDefinition) -> bool:
        spec = signal.spec
        if self.kind not in spec.applies_to:
            return False
        return not spec.channels or self.channel is None or self.channel in spec.channels

    # the two passes over a text
    def run(self, skip: frozenset[str] = frozenset()) -> dict[str, FiredSignal]:
        applicable = [s for s in self.signals if self._applies(s) and s.id not in skip]
        detectors: dict[Detector, Callable[[SignalDefinition], str | None]] = self._text_detectors()
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

    def _fire(self, signal: SignalDefinition, snippet: str) -> None:
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
        self, signal: SignalDefinition, detectors: dict[Detector, Callable[[SignalDefinition], str | None]]
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
    def _text_detectors(self) -> dict[Detector, Callable[[SignalDefinition], str | None]]:
        prepared = self.prepared

        def foreign(_s: SignalDefinition) -> str | None:
            return first_of([f.value for f in find_foreign_phones(prepared)])

        def mixed(_s: SignalDefinition) -> str | None:
            return first_of([f.value for f in prepared.mixed_script_words()])

        def warning(_s: SignalDefinition) -> str | None:
            return (
                "a red flag mentioned only as something that will never be asked"
                if self.negated
                else None
            )

        return {
            **self._link_detectors(),
            **self._number_detectors(),
            Detector.FOREIGN_PHONE: foreign,
            Detector.PAYEE_NOT_TREASURY: self._payee_not_treasury,
            Detector.AGENCY_NOT_LISTED: self._agency_not_listed,
            Detector.AGENCY_NAMED: lambda _s: first_of(agency_names_found(self.rules, prepared, self.as_of)),
            Detector.LOOKALIKE_NAME: lambda _s: lookalike_name(prepared, self.signals, self.limit),
            Detector.MIXED_SCRIPT: mixed,
            Detector.SCAM_WARNING: warning,
            Detector.CALLER_ID_CAUTION: lambda _s: None,
            Detector.NOTICE_LAYOUT: lambda _s: notice_layout(prepared, self.signals),
            Detector.QUOTED_WARNING: lambda _s: quoted_warning(prepared, self.signals),
        }

    def _link_detectors(self) -> dict[Detector, Callable[[SignalDefinition], str | None]]:
        links = find_links(self.prepared, self.signals.links)
        link_classes = [
            (link, classify_link(link, self.rules.contacts, self.signals.links)) for link in links
        ]

        def link_of(wanted: str) -> Callable[[SignalDefinition], str | None]:
            return lambda _s: first_of([link.shown for link, c in link_classes if c == wanted])

        def unofficial(_s: SignalDefinition) -> str | None:
            return first_of(
                [
                    link.shown
                    for link, c in link_classes
                    if c in {"unofficial", "shortened", "ip"} and not link.address
                ]
            )

        def unofficial_sender(_s: SignalDefinition) -> str | None:
            return first_of(
                [link.shown for link, c in link_classes if c == "unofficial" and link.address]
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
        }

    def _number_detectors(self) -> dict[Detector, Callable[[SignalDefinition], str | None]]:
        contacts = self.rules.contacts
        phones = [(found, phone_class(contacts, found.value, self.as_of)) for found in find_us_phones(self.prepared)]
        codes = find_notice_codes(self.prepared)

        def phone_of(wanted: str) -> Callable[[SignalDefinition], str | None]:
            return lambda _s: first_of(
                [describe_phone(contacts, f.value) for f, c in phones if c == wanted]
            )

        def known_code(_s: SignalDefinition) -> str | None:
            return first_of([f.value for f in codes if self.rules.notices.find(f.value) is not None])

        def unknown_code(_s: SignalDefinition) -> str | None:
            return first_of([f.value for f in codes if self.rules.notices.find(f.value) is None])

        return {
            Detector.UNOFFICIAL_PHONE: phone_of("unofficial"),
            Detector.OFFICIAL_PHONE: phone_of("official"),
            Detector.AGENCY_PHONE: phone_of("agency"),
            Detector.FORMER_AGENCY_PHONE: phone_of("former_agency"),
            Detector.KNOWN_NOTICE_CODE: known_code,
            Detector.UNKNOWN_NOTICE_CODE: unknown_code,
        }

    def _payee_not_treasury(self, signal: SignalDefinition) -> str | None:
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

    def _agency_not_listed(self, _signal: SignalDefinition) -> str | None:
        if agency_names_found(self.rules, self.prepared, self.as_of):
            return None
        trigger = self.fired.get("pca.claims_assignment")
        return trigger.snippet if trigger is not None else "a collection agency not on the IRS list"

    def fire_detector(self, detector: Detector, snippet: str) -> dict[str, FiredSignal]:
        for signal in self.signals.with_detector(detector):
            if self._applies(signal):
                self._fire(signal, snippet)
        return self.fired

    def classify_phone(self, number: str) -> dict[str, FiredSignal]:
        found = phone_class(self.rules.contacts, number, self.as_of)
        detector = {
            "official": Detector.OFFICIAL_PHONE,
            "agency": Detector.AGENCY_PHONE,
            "former_agency": Detector.FORMER_AGENCY_PHONE,
            "unofficial": Detector.UNOFFICIAL_PHONE,
        }[found]
        self.fire_detector(detector, describe_phone(self.rules.contacts, number))
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


def first_of(values: list[str]) -> str | None:
    return values[0] if values else None


def notice_layout(prepared: PreparedText, signals: ScamSignals) -> str | None:
    """The parts of a notice's layout the text shows, when enough of them are there."""
    layout = signals.notice_layout
    found = [
        part
        for part, phrases in layout.parts.items()
        if any(next(prepared.find_phrase(p), None) is not None for p in phrases)
    ]
    if len(found) < layout.min_found:
        return None
    return f"{len(found)} of {len(layout.parts)} parts: " + ", ".join(
        part.replace("_", " ") for part in found
    )


def quoted_warning(prepared: PreparedText, signals: ScamSignals) -> str | None:
    """The markers of a text that quotes scams to warn about them."""
    quoting = signals.quoting
    groups = 0
    markers: list[str] = []
    for group in quoting.groups:
        hits = [
            p.rstrip("*")
            for p in group.phrases
            if next(prepared.find_phrase(p), None) is not None
        ]
        if hits:
            groups += 1
            markers += hits
    if groups >= quoting.min_groups or len(markers) >= quoting.min_markers:
        return "markers: " + ", ".join(f'"{m}"' for m in markers[:6])
    return None



def agency_names_found(rules: RuleSet, prepared: PreparedText, as_of: date | None) -> list[str]:
    """The private collection agencies the text names."""
    found: list[str] = []
    for agency in rules.contacts.agencies_on(as_of):
        for name in agency.names:
            phrase = " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())
            if next(prepared.find_phrase(phrase), None) is not None:
                found.append(agency.name)
                break
    return found



def lookalike_name(prepared: PreparedText, signals: ScamSignals, limit: int) -> str | None:
    """A name one or two letters away from an official one."""
    names = signals.names
    words = prepared.tokens()
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
    positions = prepared.word_starts
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
                        return prepared.snippet(positions[start], end, limit)
    return None



def phone_class(contacts: Contacts, number: str, as_of: date | None) -> str:
    """official, agency, former_agency or unofficial."""
    if contacts.phone(number) is not None:
        return "official"
    agency = contacts.agency_for_phone(number)
    if agency is not None:
        return "agency" if agency.is_contracted_on(as_of) else "former_agency"
    return "unofficial"


def describe_phone(contacts: Contacts, number: str) -> str:
    """The number with whose it is, when it is on a list."""
    official = contacts.phone(number)
    if official is not None:
        return f"{number} ({official.name})"
    agency = contacts.agency_for_phone(number)
    if agency is not None:
        return f"{number} ({agency.name})"
    return number
