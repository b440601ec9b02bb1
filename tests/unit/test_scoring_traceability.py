"""docs/principle-6-traceability.md names every question and rule, under the passage each cites."""

from __future__ import annotations

import re

import pytest

from supplier_register.scoring.questions import default_question_bank
from supplier_register.scoring.rules import REFERENCES, RULES
from tests.support.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "principle-6-traceability.md"
ID = re.compile(r"`([a-z]+\.[a-z0-9_]+)`")
QUESTIONS = default_question_bank().by_id
# The paragraphs of principle 6 and its case study, plus the test-drive pull-quote.
PARAGRAPHS = 20


def parse() -> dict[str, dict[str, set[str]]]:
    """Passage heading -> paragraph heading -> ids named in that paragraph."""
    sections: dict[str, dict[str, set[str]]] = {}
    passage = paragraph = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            passage, paragraph = line[3:].strip(), None
            sections[passage] = {}
        elif line.startswith("### "):
            assert passage is not None, line
            paragraph = line[4:].strip()
            sections[passage][paragraph] = set()
        elif paragraph is not None and passage is not None:
            sections[passage][paragraph].update(ID.findall(line))
    return sections


@pytest.fixture(scope="module")
def sections() -> dict[str, dict[str, set[str]]]:
    return parse()


def test_passages_are_the_references_findings_cite(
    sections: dict[str, dict[str, set[str]]],
) -> None:
    assert list(sections) == list(REFERENCES)


def test_every_paragraph_is_covered(sections: dict[str, dict[str, set[str]]]) -> None:
    paragraphs = [(p, ids) for passage in sections.values() for p, ids in passage.items()]
    assert len(paragraphs) == PARAGRAPHS
    for heading, ids in paragraphs:
        assert re.match(r'\d+\. ".+"$', heading), heading
        assert ids, f"paragraph {heading} names no question or rule"


def test_every_named_id_exists(sections: dict[str, dict[str, set[str]]]) -> None:
    named = {i for passage in sections.values() for ids in passage.values() for i in ids}
    unknown = named - set(QUESTIONS) - set(RULES)
    assert not unknown, unknown


def test_every_question_and_rule_is_under_its_own_passage(
    sections: dict[str, dict[str, set[str]]],
) -> None:
    where: dict[str, set[str]] = {}
    for passage, paragraphs in sections.items():
        for ids in paragraphs.values():
            for i in ids:
                where.setdefault(i, set()).add(passage)
    for qid, question in QUESTIONS.items():
        assert question.reference in where.get(qid, set()), qid
    for code, rule in RULES.items():
        assert rule.reference in where.get(code, set()), code
