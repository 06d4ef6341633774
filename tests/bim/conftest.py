"""Fixtures of the bim tests: messages in English, whatever the machine's language."""

from __future__ import annotations

import pytest

from bim.i18n import current_language, set_language


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read messages in English; the language in use before is restored after."""
    before = current_language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture(scope="session")
def demo_in_schema(tmp_path_factory):
    """``demo_in_schema("IFC4X3")``: the demo written in another schema, generated once per session."""
    from bim.demo import generate_demo

    made = {}

    def get(schema: str):
        if schema not in made:
            made[schema] = generate_demo(tmp_path_factory.mktemp(f"demo-{schema}"), schema=schema)
        return made[schema]

    return get
