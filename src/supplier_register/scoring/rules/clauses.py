"""One factory for the rules about a yes/no/unknown term of a contract.

Several rules read a term each current contract records as ``True``, ``False``
or ``None`` (not recorded): does the contract say the trust owns its data,
oblige the supplier to help the trust leave, tie payments to milestones?
Each works the same way: of the contracts the rule looks at, one without the
term raises a full-severity finding with a board question naming every such
contract; one where the term is not recorded raises a data gap (unknown
stays unknown, never "no"); one with the term raises nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from supplier_register.domain.models import Contract
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.common import unknown
from supplier_register.scoring.rules.registry import Check, Facts, Raised, rule


def clause_rule(
    code: str,
    dimension: Dimension,
    key_question: KeyQuestion,
    title: str,
    reference: str,
    checks: str,
    *,
    term: Callable[[Contract], bool | None],
    contracts: Callable[[Facts], Sequence[Contract]],
    without: Callable[[Facts, Contract], str],
    board: Callable[[Facts, Sequence[Contract]], str],
    not_recorded: Callable[[Facts, Contract], str],
    gap: Callable[[Contract], str],
) -> Check:
    """Register (and return the check of) a rule about a yes/no/unknown contract term.

    ``term``: the term as a contract records it; ``contracts``: the supplier's
    contracts the rule looks at; ``without``: the explanation for a contract
    without the term; ``board``: the one board question for all of those;
    ``not_recorded`` and ``gap``: the explanation and the unknown, for a
    contract whose term is not recorded.
    """

    def check(facts: Facts) -> Iterator[Raised]:
        relevant = contracts(facts)
        hits = [c for c in relevant if term(c) is False]
        question = board(facts, hits) if hits else ""
        for c in relevant:
            value = term(c)
            if value is False:
                yield Raised(
                    factor=1.0,
                    contract=c.title,
                    explanation=without(facts, c),
                    board=question,
                )
            elif value is None:
                yield Raised(
                    factor=unknown(facts),
                    contract=c.title,
                    explanation=not_recorded(facts, c),
                    gap=gap(c),
                )

    check.__qualname__ = check.__name__ = f"clause_rule[{code}]"
    return rule(code, dimension, key_question, title, reference, checks)(check)
