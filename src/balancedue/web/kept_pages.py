"""Pages worked out once per state of what they show, and given again until that state changes.

The dashboard and a case page are worked out from the cases they show (their rows, deadlines,
documents and journal, and the analysis of the notice), the day and the rules.  Each case's
state is named by its version (journal head and sealed state digest, see
:class:`balancedue.cases.records.CaseVersion`), read in one query; any write to a case changes
it, and a state once left never comes back.  So a page is kept under the key (what page, the
versions of the cases it shows, the day, the rules) and given again while that key is what the
store says now: never stale, and nothing is analysed or read again to show it.

What is kept is the typed page (the dataclass of :mod:`balancedue.web.pages`) and its body
rendered without the request: no user, session, CSRF token or message can be in it.  Which user
may see which case is checked on every request before a kept page is looked up, and the parts of
a page that belong to the request (the navigation, the logout and letter forms with their CSRF
tokens) are rendered around the kept body each time.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from balancedue.web.pages import SECTION_TITLES

KEPT_CHARACTERS = 32 * 1024 * 1024
"""How much rendered HTML is kept at most (the least recently shown pages go first)."""


@dataclass(frozen=True, slots=True)
class KeptPage:
    """A page worked out once: its typed content and the parts of its body, rendered."""

    page: Any
    bodies: tuple[SafeString, ...]
    rules: Any  # held, so that the rules' identity in the key cannot be reused by another set


def _size(page: KeptPage) -> int:
    return sum(len(body) for body in page.bodies)


_kept: LRUCache[Hashable, KeptPage] = LRUCache(maxsize=KEPT_CHARACTERS, getsizeof=_size)
_lock = threading.Lock()


def forget() -> None:
    """Drop every kept page (tests start from nothing)."""
    with _lock:
        _kept.clear()


def render_body(template: str, page: Any) -> SafeString:
    """A page's body: ``template`` rendered with the page alone (no request, no user)."""
    return SafeString(render_to_string(template, {"page": page, "sections": SECTION_TITLES}))


def kept_page(key: Hashable, rules: Any, templates: tuple[str, ...], make: Callable[[], Any]) -> KeptPage:
    """The page kept under ``key`` (with ``rules``), or the one ``make`` works out, its parts
    rendered with ``templates`` and kept.  Two requests that miss at the same moment both work it out; the
    results are the same."""
    full_key = (key, id(rules))
    with _lock:
        found = _kept.get(full_key)
        if found is not None and found.rules is rules:
            return found
    page = make()
    made = KeptPage(page, tuple(render_body(template, page) for template in templates), rules)
    with _lock, contextlib.suppress(ValueError):  # a page larger than the whole store is not kept
        _kept[full_key] = made
    return made
