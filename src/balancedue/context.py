"""The running application: its settings, rules, case store, clock, actor and client scope.

The command line builds one :class:`AppContext` when it starts (``balancedue.cli``), the web app
one when its WSGI application is made (``balancedue.web.wsgi``) and narrows it to the user of
each request.  Everything below takes what it needs from the context as plain arguments: the
rule set, the date, the store, the set of clients a user may see.  This module is the only
place that loads the bundled rules.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from balancedue import settings
from balancedue.cases import bootstrap

if TYPE_CHECKING:
    from balancedue.cases.store import CaseStore
    from balancedue.rules import RuleSet

APP_SETTINGS_MODULE = "balancedue.web.settings"
"""The Django settings of the whole application: the case store's (``balancedue.cases.settings``)
plus the web app's accounts and grants, which backups and restores carry too."""

_rules_lock = threading.Lock()


@dataclass(frozen=True)
class AppContext:
    """What every use case may need to know about the running application.

    ``scope`` is the set of client ids the actor may see; ``None`` means every client.
    ``fixed_today`` is the date to work as of (``--today`` or the web app's setting); ``None``
    means the computer's date.
    """

    settings: settings.Values
    actor: str | None = None
    scope: frozenset[int] | None = None
    fixed_today: date | None = None
    _loaded: dict[str, RuleSet] = field(default_factory=dict, repr=False, compare=False)

    @property
    def rules(self) -> RuleSet:
        """The bundled rules, loaded on first use (once per process)."""
        rules = self._loaded.get("rules")
        if rules is None:
            # The rules data, when a command first needs it (a case list does not).
            from balancedue.rules import load_rules

            with _rules_lock:
                rules = self._loaded.setdefault("rules", load_rules())
        return rules

    @property
    def store(self) -> CaseStore:
        """The case store, set up and migrated on first use."""
        return bootstrap.open_store()

    def today(self) -> date:
        """The date to work as of."""
        return self.fixed_today or date.today()  # noqa: DTZ011 - the user's local date is meant

    def sees(self, client_id: int | None) -> bool:
        """True when the actor may see the client."""
        return self.scope is None or (client_id is not None and client_id in self.scope)

    def acting_for(self, actor: str | None, scope: frozenset[int] | None) -> AppContext:
        """The same application, narrowed to one user and the clients that user may see."""
        return dataclasses.replace(self, actor=actor, scope=scope, _loaded=self._loaded)


def build_context(
    environ: Mapping[str, str] | None = None, *, today: date | None = None, overrides: Mapping[str, str] | None = None
) -> AppContext:
    """Read the settings (environment, then ``overrides``) and make the context.  ``today`` fixes
    the date the context works as of.  Settings given as ``overrides`` (``balancedue serve
    --practice``) are installed for the case store's and the web app's Django settings, which
    otherwise read the same environment when the store is first opened."""
    values = settings.read(environ, overrides)
    if overrides is not None:
        settings.install(values)
    bootstrap.use_settings(APP_SETTINGS_MODULE)
    return AppContext(settings=values, fixed_today=today)
