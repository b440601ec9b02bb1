"""Match supplier names written differently ("ACME LTD", "Acme Limited") to one supplier."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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


# Words that describe a business rather than name it: "Trustmarque Solutions Limited" is
# probably "Trustmarque".  Dropped from the end of a name (after the legal forms) for the
# near-duplicate check only; matching on them is never automatic.
_DESCRIPTIVE_SUFFIXES = frozenset(
    {
        *_LEGAL_SUFFIXES,
        "uk",
        "gb",
        "europe",
        "international",
        "holdings",
        "holding",
        "group",
        "solutions",
        "solution",
        "services",
        "service",
        "systems",
        "technologies",
        "technology",
        "consulting",
        "company",
        "co",
    }
)


def near_key(name: str) -> tuple[str, ...]:
    """The words of a name for the near-duplicate check: :func:`normalise_name`, then
    descriptive endings (UK, Solutions, Group, Services, ...) dropped; at least one word stays."""
    words = normalise_name(name).split()
    while len(words) > 1 and words[-1] in _DESCRIPTIVE_SUFFIXES:
        words = words[:-1]
    return tuple(words)


def near_duplicate(a: str, b: str) -> bool:
    """True when two names may be one organisation: the same once normalised and stripped of
    descriptive endings, or one a whole-word prefix of the other ("Trustmarque" and
    "TRUSTMARQUE SOLUTIONS LIMITED"; "BT" and "BT Health").  Never used to merge records by
    itself: it only makes an import say "possible duplicate of ..." and `supplier duplicates`
    list the pair."""
    ka, kb = near_key(a), near_key(b)
    if not ka or not kb:
        return False
    short, long = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    return long[: len(short)] == short


class NameIndex:
    """Names indexed for the near-duplicate check: :meth:`similar` finds the names a new one
    may duplicate, comparing only names that share their first word (so it stays fast on a
    register of thousands)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._by_first: dict[str, list[str]] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        key = near_key(name)
        if key:
            bucket = self._by_first.setdefault(key[0], [])
            if name not in bucket:
                bucket.append(name)

    def similar(self, name: str) -> list[str]:
        """Names near-duplicating ``name`` (itself and case-only variants left out), sorted."""
        key = near_key(name)
        if not key:
            return []
        own = name.casefold()
        return sorted(
            (
                n
                for n in self._by_first.get(key[0], [])
                if n.casefold() != own and near_duplicate(n, name)
            ),
            key=str.casefold,
        )


def possible_duplicates(names: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair of names that may be one organisation (see :func:`near_duplicate`), each pair
    once, in name order."""
    index = NameIndex()
    pairs: set[tuple[str, str]] = set()
    for name in names:
        for other in index.similar(name):
            a, b = sorted((name, other), key=str.casefold)
            pairs.add((a, b))
        index.add(name)
    return sorted(pairs, key=lambda p: (p[0].casefold(), p[1].casefold()))
