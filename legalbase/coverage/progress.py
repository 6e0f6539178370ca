"""Work in progress on a region's basis (a draft being made), told by the rooms that do it.

Coverage reads no room that drafts: a room registers a provider when the app is built
(drafting does, beside its job kinds), and coverage asks every provider at once for the regions
of a question. A provider is `fn(codes, as_of) -> {region_code: {...}}`, answering with one
query for all the codes; what it answers is shown as it is (`draft_id`, `state`, `state_label`,
`since` for a draft).
"""

from collections.abc import Callable
from datetime import date

Provider = Callable[[list[str], date], dict[str, dict]]

_providers: list[Provider] = []


def register_provider(provider: Provider) -> None:
    """Let coverage ask `provider` which regions have work in progress (once per function)."""
    if provider not in _providers:
        _providers.append(provider)


def open_work(codes: list[str], as_of: date) -> dict[str, dict]:
    """Per region code, the work in progress on its basis on `as_of` (regions without any are
    left out); a provider registered earlier wins for a region several answer for."""
    found: dict[str, dict] = {}
    for provider in reversed(_providers):
        found.update(provider(codes, as_of))
    return found
