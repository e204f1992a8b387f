"""Profile keys do something or go: every key a shipped profile sets is read by the code or the diagrams (a key
nothing reads is a rule the landlord believes is enforced and is not)."""

import re
from pathlib import Path

import pytest
import yaml

from service.domain.policy import POLICIES_DIR, available_profiles

ROOT = Path(__file__).resolve().parents[2]
# Keys whose children are data (names, words, people), not settings: their own keys are not looked up one by one.
DATA = {"roles", "lanes", "stage_roles", "exclusions", "ombudsman", "categories", "root_causes", "discretion_grounds",
        "landlord", "any_time_records", "demo_users", "says"}


def keys(node, path=()):
    """Every key path in a profile, not descending into data."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, str(key))
            if key not in DATA:
                yield from keys(value, (*path, str(key)))


def readers() -> str:
    texts = [p.read_text(encoding="utf-8") for folder in ("service", "forms", "workers")
             for p in (ROOT / folder).rglob("*") if p.suffix in {".py", ".html"}]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "processes").glob("*.bpmn")]
    return "\n".join(texts)


CODE = readers()


def read(key: str) -> bool:
    """Whether some code or diagram names `key` as a key: "key", 'key', .key or key= (and stage1/stage2 read as
    f"stage{stage}")."""
    if re.fullmatch(r"stage\d", key):
        return "stage{" in CODE or f'"{key}"' in CODE
    return bool(re.search(rf"""["']{re.escape(key)}["']|\.{re.escape(key)}\b""", CODE))


@pytest.mark.parametrize("profile", available_profiles())
def test_every_profile_key_is_read_by_something(profile):
    params = yaml.safe_load((POLICIES_DIR / f"{profile}.yaml").read_text(encoding="utf-8"))
    unread = [".".join(path) for path in keys(params) if not read(path[-1])]
    assert not unread, f"{profile}: nothing reads {', '.join(unread)}"
