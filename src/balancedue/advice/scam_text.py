"""Reading a letter, message or call for the scam check: the text forms, links, numbers, codes.

Every search here is linear in the length of the text: phrases are found with ``str.find``,
and the regular expressions use only bounded repetition and start at word boundaries, so a
megabyte of input is read in well under a second.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import add
from urllib.parse import urlsplit

from balancedue.rules.contacts import Contacts, normalize_phone
from balancedue.rules.scam_signals import LinkRules

_TOKEN = re.compile(r"[0-9A-Za-z$%@]{1,100}")
_SEPARATOR = re.compile(r"([^0-9A-Za-z$%@]{1,1000})")
_SPACE = re.compile(r"\s{1,1000}")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_MAX_OCCURRENCES = 1000

# Links: with a scheme, starting with www., inside an e-mail address, or a bare domain.
_SCHEME_URL = re.compile(r"\b(?:https?|hxxps?)://[^\s<>\"'()\[\]{}]{1,300}")
_WWW_URL = re.compile(r"(?<![\w.@/-])www\.[^\s<>\"'()\[\]{}]{1,300}")
_EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9._%+-]{1,64}@(?P<host>[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,5}\.[a-z]{2,24})\b"
)
_MAX_LINKS = 500
_US_PHONE = re.compile(
    r"(?<![\d+])(?:\+?1[\s.-]{0,2})?(?:\(\d{3}\)[\s.-]{0,2}|\d{3}[\s.-]{1,2})\d{3}[\s.-]{1,2}\d{4}(?!\d)"
)
_FOREIGN_PHONE = re.compile(
    r"(?<![\w+])\+(?P<cc>[2-9]\d{0,2})[\s.-]{0,2}\(?\d{1,4}\)?(?:[\s.-]{0,2}\d{2,4}){2,4}(?!\d)"
)
_NOTICE_CODE = re.compile(r"\b(?P<prefix>cp|lt|ltr|letter)\s?-?\s?(?P<number>\d{1,4}[a-z]{0,2})\b")
_LOOKALIKE_CHARS = re.compile("[\u0370-\u03ff\u0400-\u04ff\uff01-\uff5e\u200b-\u200d\u2060\ufeff]")
_KEYPAD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "22233344455566677778889999")


@dataclass(frozen=True)
class Found:
    """Something found in the text: what it is (a host, number or code) and where."""

    value: str
    start: int
    end: int


class PreparedText:
    """A text in the forms the check reads.

    * ``original`` - as given;
    * ``text``     - lower case, whitespace collapsed (links, phone numbers, notice codes);
    * ``words``    - lower case words separated by one space, punctuation dropped (phrases).

    Positions in ``words`` map back to ``original`` for the snippets shown to the user.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = _SPACE.sub(" ", original.replace("’", "'")).lower()
        # split into word / separator / word ...; offsets come from running sums (no Python loop)
        parts = _SEPARATOR.split(original)
        offsets = list(accumulate(map(len, parts), initial=0))
        candidates = parts[0::2]
        mask = list(map(bool, candidates))
        words = list(compress(candidates, mask))
        lengths = list(map(len, words))
        self._orig_starts = list(compress(offsets[0::2], mask))
        self._orig_ends = list(map(add, self._orig_starts, lengths))
        self._word_starts = list(map(add, accumulate(lengths, initial=0), range(len(words))))[
            : len(words)
        ]
        self.words = " ".join(words).lower()
        self._tokens: list[str] | None = None
        self._vocabulary: frozenset[str] | None = None

    @property
    def word_starts(self) -> list[int]:
        """Start position of each word in ``words``."""
        return self._word_starts

    def tokens(self) -> list[str]:
        """The words of ``words``, in order."""
        if self._tokens is None:
            self._tokens = self.words.split(" ") if self.words else []
        return self._tokens

    # -- positions and snippets ---------------------------------------------------------------

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``words`` to the matching span of ``original``."""
        if not self._word_starts:
            return (0, 0)
        first = max(bisect_right(self._word_starts, start) - 1, 0)
        last = max(bisect_right(self._word_starts, max(end - 1, start)) - 1, 0)
        return (self._orig_starts[first], self._orig_ends[last])

    def snippet(self, start: int, end: int, limit: int, *, in_words: bool = True) -> str:
        """The match with some context, whitespace collapsed, at most ``limit`` characters."""
        if in_words:
            start, end = self.original_span(start, end)
            source = self.original
        else:
            source = self.text
        if end - start >= limit:
            return " ".join(source[start : start + limit * 2].split())[: limit - 1] + "…"
        room = (limit - (end - start)) // 2
        left = max(0, start - room)
        right = min(len(source), end + room)
        if left > 0:
            space = source.find(" ", left, start)
            left = space + 1 if space != -1 else left
        if right < len(source):
            space = source.rfind(" ", end, right)
            right = space if space != -1 else right
        text = " ".join(source[left:right].split())[:limit]
        return ("…" if left > 0 else "") + text + ("…" if right < len(source) else "")

    # -- phrases and negation ------------------------------------------------------------------

    def find_phrase(self, phrase: str) -> Iterator[int]:
        """Start positions in ``words`` where ``phrase`` (``words`` form) occurs as whole words.

        A phrase ending in ``*`` matches any word that starts with it.
        """
        prefix = phrase.endswith("*")
        needle = phrase[:-1] if prefix else phrase
        # a phrase can only occur if each of its whole words does: skip the scan otherwise
        whole = needle.split(" ")[:-1] if prefix else needle.split(" ")
        if self._vocabulary is None:
            self._vocabulary = frozenset(self.tokens())
        if any(word not in self._vocabulary for word in whole):
            return
        words = self.words
        size = len(needle)
        position = words.find(needle)
        seen = 0
        while position != -1 and seen < _MAX_OCCURRENCES:
            seen += 1
            before_ok = position == 0 or words[position - 1] == " "
            after = position + size
            after_ok = prefix or after == len(words) or words[after] == " "
            if before_ok and after_ok:
                yield position
            position = words.find(needle, position + 1)

    def phrase_end(self, start: int, phrase: str) -> int:
        """End in ``words`` of a phrase found at ``start`` (to the end of a prefix word)."""
        if not phrase.endswith("*"):
            return start + len(phrase)
        end = self.words.find(" ", start + len(phrase) - 1)
        return len(self.words) if end == -1 else end

    def is_negated(self, start: int, cues: tuple[str, ...], window: int) -> bool:
        """True if a guidance cue ("will never", "does not accept") comes shortly before ``start``.

        The look-back stops at the end of the previous sentence and includes the first word of
        the match itself ("do not *make* checks payable to ...").
        """
        origin, _ = self.original_span(start, start + 1)
        segment = self.original[max(0, origin - window) : origin]
        ends = list(_SENTENCE_END.finditer(segment))
        if ends:
            segment = segment[ends[-1].end() :]
        tokens = [t.lower() for t in _TOKEN.findall(segment.replace("’", "'"))]
        word_end = self.words.find(" ", start)
        tokens.append(self.words[start : word_end if word_end != -1 else len(self.words)])
        context = " " + " ".join(tokens) + " "
        return any(f" {cue} " in context for cue in cues)

    # -- look-alike characters -----------------------------------------------------------------

    def mixed_script_words(self) -> list[Found]:
        """Words that mix Latin letters with look-alike letters from another alphabet."""
        if self.original.isascii():
            return []
        found: list[Found] = []
        text = self.original
        for match in _LOOKALIKE_CHARS.finditer(text):
            index = match.start()
            before = text[index - 1] if index > 0 else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
                start = index
                while start > 0 and not text[start - 1].isspace() and index - start < 30:
                    start -= 1
                end = index + 1
                while end < len(text) and not text[end].isspace() and end - index < 30:
                    end += 1
                found.append(Found(text[start:end], start, end))
                if len(found) >= 5:
                    break
        return found


# -- links ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A web address found in a text, reduced to what the check needs."""

    shown: str
    host: str
    userinfo: str
    address: bool = False  # the host of an e-mail address (a sender), not a link to open


def _bare_domain_pattern(tlds: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(tlds, key=len, reverse=True))
    return re.compile(
        r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,6}"
        rf"(?:{alternatives})(?![\w-])(?:/[^\s<>\"'()]{{0,200}})?"
    )


_BARE_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def parse_link(raw: str) -> Link | None:
    """A link as written (with or without a scheme); ``None`` when it has no usable host."""
    text = raw.strip().rstrip(".,;:!?)'\"")
    if text.lower().startswith("hxxp"):
        text = "http" + text[4:]
    candidate = text if "://" in text else "http://" + text
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        userinfo = parts.username or ""
        if parts.password:
            userinfo += ":" + parts.password
    except ValueError:
        return None
    host = host.rstrip(".").lower()
    if not host or " " in host or ("." not in host and not _is_ip(host)):
        return None
    return Link(shown=text[:200], host=host, userinfo=userinfo.lower())


def find_links(prepared: PreparedText, rules: LinkRules) -> list[Link]:
    """Every distinct link (by host) in the text, in order of appearance."""
    text = prepared.text
    hits: list[tuple[int, str]] = []
    for pattern in (_SCHEME_URL, _WWW_URL):
        hits += [(m.start(), _rejoined(text, m, rules)) for m in pattern.finditer(text)]
    addresses = [(m.start(), m.group("host")) for m in _EMAIL.finditer(text)]
    address_hits = set(addresses)
    hits += addresses
    bare = _BARE_CACHE.get(rules.bare_domain_tlds)
    if bare is None:
        bare = _BARE_CACHE.setdefault(
            rules.bare_domain_tlds, _bare_domain_pattern(rules.bare_domain_tlds)
        )
    covered = [(start, start + len(value)) for start, value in hits]
    for match in bare.finditer(text):
        if not any(s <= match.start() < e for s, e in covered):
            hits.append((match.start(), match.group(0)))
    links: list[Link] = []
    seen_raw: set[tuple[str, bool]] = set()
    seen: set[tuple[str, str, bool]] = set()
    for start, raw in sorted(hits):
        address = (start, raw) in address_hits
        if (raw, address) in seen_raw:
            continue
        seen_raw.add((raw, address))
        link = parse_link(raw)
        if link is not None and (link.host, link.userinfo, address) not in seen:
            seen.add((link.host, link.userinfo, address))
            links.append(Link(link.shown, link.host, link.userinfo, address))
            if len(links) >= _MAX_LINKS:
                break
    return links


def _rejoined(text: str, match: re.Match[str], rules: LinkRules) -> str:
    """The link, with the rest of its site name when a text layer broke it at a line end.

    ``www.ir`` / ``s.gov/payments``: a PDF text layer splits words where the printed line or
    span ends.  When the link stops at a bare site name and the next word completes it into a
    government site (``.gov``), the two pieces are one link; the fragment alone would read as
    some other site."""
    raw = match.group(0)
    if "/" in raw.split("://", 1)[-1] or not rules.government_suffixes:
        return raw
    suffixes = "|".join(re.escape(suffix) for suffix in rules.government_suffixes)
    rest = re.compile(rf" (?P<rest>[a-z0-9-]{{1,63}}(?:\.[a-z0-9-]{{1,63}}){{0,4}}\.(?:{suffixes})(?![a-z0-9-])[^\s<>\"'()\[\]{{}}]{{0,300}})")
    tail = rest.match(text, match.end())
    return raw + tail.group("rest") if tail else raw


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _deglyph(token: str, homoglyphs: dict[str, str]) -> str:
    for source in sorted(homoglyphs, key=len, reverse=True):
        token = token.replace(source, homoglyphs[source])
    return token


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def classify_link(link: Link, contacts: Contacts, rules: LinkRules) -> str:
    """``official``, ``retired``, ``lookalike``, ``shortened``, ``ip``, ``government`` (another
    agency's site) or ``unofficial``."""
    host = link.host
    official_domains = [d.domain for d in contacts.domains]
    if link.userinfo and any(
        token in link.userinfo for token in (*official_domains, *rules.brand_tokens)
    ):
        return "lookalike"  # https://irs.gov@example.com goes to example.com
    entry = contacts.domain_for(host)
    if entry is not None:
        return "retired" if entry.retired_on is not None else "official"
    if _is_ip(host):
        return "ip"
    if not host.isascii() or any(label.startswith("xn--") for label in host.split(".")):
        return "lookalike"
    padded = f".{host}."
    if any(f".{domain}." in padded for domain in official_domains):
        return "lookalike"  # irs.gov.pay-now.com
    if _imitates_brand(host, official_domains, rules):
        return "lookalike"
    if any(host == s or host.endswith("." + s) for s in rules.shorteners):
        return "shortened"
    if any(host.endswith("." + suffix) for suffix in rules.government_suffixes):
        return "government"
    return "unofficial"


def _imitates_brand(host: str, official_domains: list[str], rules: LinkRules) -> bool:
    labels = host.split(".")
    tokens = [t for label in labels[:-1] for t in label.split("-") if t]
    official_labels = {d.split(".")[-2] for d in official_domains if d.count(".") >= 1}
    for token in tokens:
        for form in {token, _deglyph(token, rules.homoglyphs)}:
            for brand in rules.brand_tokens:
                if form == brand:
                    return True
                if (form.startswith(brand) or form.endswith(brand)) and len(form) <= len(brand) + 6:
                    return True
            if any(len(label) >= 5 and _within_one_edit(form, label) for label in official_labels):
                return True
    return False


# -- phone numbers and notice codes ------------------------------------------------------------


def find_us_phones(prepared: PreparedText) -> list[Found]:
    """Every distinct US phone number (``NNN-NNN-NNNN``) in the text."""
    found: list[Found] = []
    seen: set[str] = set()
    for match in _US_PHONE.finditer(prepared.text):
        number = normalize_phone(match.group(0))
        if number and number not in seen:
            seen.add(number)
            found.append(Found(number, match.start(), match.end()))
    return found


def find_foreign_phones(prepared: PreparedText) -> list[Found]:
    """Phone numbers written with a country code other than +1."""
    return [
        Found(m.group(0).strip(), m.start(), m.end())
        for m in _FOREIGN_PHONE.finditer(prepared.text)
    ]


def find_notice_codes(prepared: PreparedText) -> list[Found]:
    """Every distinct notice or letter code (``CP504``, ``LT11``, ``Letter 1058``) in the text."""
    found: list[Found] = []
    seen: set[str] = set()
    for match in _NOTICE_CODE.finditer(prepared.text):
        prefix = match.group("prefix").upper()
        code = f"{'LTR' if prefix == 'LETTER' else prefix}{match.group('number').upper()}"
        if code not in seen:
            seen.add(code)
            found.append(Found(code, match.start(), match.end()))
    return found


def keypad_digits(text: str) -> str:
    """``800-TAX-FORM`` -> ``800-829-3676`` (letters as on a telephone keypad)."""
    return text.upper().translate(_KEYPAD)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
