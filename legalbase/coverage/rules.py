"""The coverage rules file (`corpus/coverage/rules.yaml`): loaded, checked, and cached."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from ..core.errors import Invalid

KNOWN_CHECKS = (
    "aligned_with_latest_amendment",
    "forms_subgugus",
    "subgugus_fields_named",
    "period_not_ended",
)


@dataclass(frozen=True)
class Rules:
    """What counts as a legal basis, as the rules file says."""

    version: str
    root_act: str
    accepted_forms: tuple[str, ...]
    task_force_subjects: tuple[str, ...]
    task_force_title_words: tuple[str, ...]
    implements_root: bool
    subgugus_title_words: tuple[str, ...]
    subgugus_text_words: tuple[str, ...]
    subgugus_fields: tuple[str, ...]
    grace_period_days: int
    mandate_deadline: date
    checks: tuple[str, ...]


_cache: dict = {}


def load_rules(path: Path) -> Rules:
    """The rules in `path`, re-read when the file changes; Invalid names what is wrong."""
    stamp = path.stat().st_mtime_ns
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    rules = _parse(yaml.safe_load(path.read_text(encoding="utf-8")))
    _cache[path] = (stamp, rules)
    return rules


def _parse(raw: dict) -> Rules:
    try:
        task_force, subgugus = raw["task_force"], raw["subgugus"]
        rules = Rules(
            version=str(raw["version"]),
            root_act=raw["root_act"],
            accepted_forms=tuple(raw["accepted_forms"]),
            task_force_subjects=tuple(s.upper() for s in task_force.get("subjects", [])),
            task_force_title_words=tuple(task_force.get("title_words", [])),
            implements_root=bool(task_force.get("implements_root", False)),
            subgugus_title_words=tuple(subgugus.get("title_words", [])),
            subgugus_text_words=tuple(subgugus.get("text_words", [])),
            subgugus_fields=tuple(subgugus.get("fields", [])),
            grace_period_days=int(raw["grace_period_days"]),
            mandate_deadline=raw["mandate_deadline"],
            checks=tuple(raw["checks"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise Invalid(f"Berkas aturan cakupan tidak lengkap atau salah: {exc}.") from None
    unknown = [check for check in rules.checks if check not in KNOWN_CHECKS]
    if unknown or not isinstance(rules.mandate_deadline, date):
        raise Invalid(
            "Berkas aturan cakupan memuat pemeriksaan atau tanggal yang tidak dikenal.",
            {"unknown_checks": unknown},
        )
    return rules
