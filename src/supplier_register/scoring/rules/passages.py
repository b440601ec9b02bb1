"""The principle-6 passages a finding may cite (also used by the question bank and the
traceability document, ``docs/principle-6-traceability.md``)."""

from __future__ import annotations

INTRO = "Introduction to principle 6"
BUY = "Buy the right things, in the right way"
EXPERTS = "Bring together digital and commercial experts"
MAGIC = "Beware of magic, turn-key solutions"
OPTIONS = "Keep your options open"
KEY_QUESTIONS = "Key questions for boards"
OWEN_WILLIAMS = "Case study: Owen Williams (Northern Care Alliance)"
SUE_JACQUES = "Case study: Sue Jacques (County Durham and Darlington)"
GURPRIT_PANNU = "Case study: Dr Gurprit Pannu (Sussex Partnership)"
ANDY_CARRUTHERS = "Case study: Andy Carruthers (University Hospitals of Leicester)"
CAROLINE_CLARKE = "Case study: Caroline Clarke (Royal Free)"
JOHN_BYRNE = "Pull-quote: Dr John Byrne (Humber Teaching)"

REFERENCES = (
    INTRO,
    BUY,
    EXPERTS,
    MAGIC,
    OPTIONS,
    KEY_QUESTIONS,
    OWEN_WILLIAMS,
    SUE_JACQUES,
    GURPRIT_PANNU,
    ANDY_CARRUTHERS,
    CAROLINE_CLARKE,
    JOHN_BYRNE,
)
"""Every principle-6 passage a finding may cite."""
