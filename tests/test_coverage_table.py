"""The coverage table of ported defaulting and validation is current and names only code that exists."""

from __future__ import annotations

from fakekube_schemas import generate_coverage


def test_every_entry_names_an_existing_function_and_the_table_is_current() -> None:
    kinds = generate_coverage.load_entries()
    assert kinds, "schemas/coverage/*.yaml lists no kind"
    assert generate_coverage.problems(kinds) == []
    assert generate_coverage.OUTPUT.read_text() == generate_coverage.render(kinds), \
        "run python -m schemas.generate_coverage"
