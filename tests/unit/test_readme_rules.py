"""The README's table of each seed's rules names the tests that walk them: each named test exists, so the table
cannot point at a test that was renamed or removed."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_the_rules_table_names_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Each seed's rules", 1)[1].split("### The Code check", 1)[0]
    named = set(re.findall(r"(tests/[\w/]+\.py)(?:::(\w+))?", table))
    assert len(named) > 40
    missing = [f"{path}::{name}" for path, name in sorted(named) if not (ROOT / path).is_file()
               or name and not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)]
    assert not missing, missing
