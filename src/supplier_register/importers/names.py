"""Match supplier names written differently ("ACME LTD", "Acme Limited") to one supplier."""

from __future__ import annotations

import re
import unicodedata

_LEGAL_SUFFIXES = (
    "limited",
    "ltd",
    "plc",
    "llp",
    "lp",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "gmbh",
    "cic",
)


def normalise_name(name: str) -> str:
    """A key under which spellings of one organisation's name coincide.

    Case, accents, punctuation, '&' versus 'and', a leading 'The' and trailing
    legal forms (Ltd, Limited, PLC, LLP, ...) are ignored; every other word
    counts, so 'Acme UK Ltd' and 'Acme Ltd' stay different organisations.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    # Letters and digits of any script count; punctuation, symbols and emoji do not.
    text = re.sub(r"[\W_]+", " ", text)
    words = text.split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words = words[:-1]
    # "Acme (U.K.) Ltd" and "Acme UK Ltd" must agree: join runs of single letters.
    joined: list[str] = []
    previous_single = False
    for word in words:
        single = len(word) == 1 and word.isascii() and word.isalpha()
        if single and previous_single:
            joined[-1] += word
        else:
            joined.append(word)
        previous_single = single
    return " ".join(joined)
