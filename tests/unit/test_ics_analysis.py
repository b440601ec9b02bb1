"""The ICS view's matching and joint windows (supplier_register.ics.analysis), pure."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from supplier_register.domain.bounds import add_months
from supplier_register.domain.errors import BadFile
from supplier_register.ics.analysis import ContractLine, joint_windows, line_up
from supplier_register.ics.model import SharedFile
from supplier_register.ics.text import decide_by_text
from supplier_register.interchange.share_read import parse_shared
from supplier_register.reports.ics import ics_markdown
from supplier_register.reports.ics_html import opportunities, render_ics_html
from tests.support.shares import contract, share_document, supplier

TODAY = dt.date(2026, 11, 26)


def _file(
    trust: str | None,
    suppliers: list[dict[str, Any]],
    contracts: list[dict[str, Any]] | None = None,
    **header: Any,
) -> SharedFile:
    label = f"{trust or 'unnamed'}.json"
    return parse_shared(share_document(trust, suppliers, contracts, **header), label)


def _line(trust: str, day: dt.date | None, title: str = "C") -> ContractLine:
    return ContractLine(
        trust=trust,
        supplier="S",
        title=title,
        end_date=day,
        decide_by=day,
        passed=day is not None and day < TODAY,
    )


# --- matching -------------------------------------------------------------------------------


def test_one_company_number_under_two_spellings_is_one_supplier() -> None:
    a = _file("Trust A", [supplier("Acme Health Systems Ltd", company_number="01234567")])
    b = _file("Trust B", [supplier("ACME Health-Systems", company_number="01234567")])
    view = line_up([a, b], TODAY)
    assert len(view.suppliers) == 1
    acme = view.suppliers[0]
    assert acme.trusts == ("Trust A", "Trust B")
    assert acme.names == ("Acme Health Systems Ltd", "ACME Health-Systems")
    assert acme.company_numbers == ("01234567",)


def test_a_company_number_meets_an_identifier_of_the_same_company() -> None:
    a = _file("Trust A", [supplier("Zeta", company_number="01234567")])
    b = _file("Trust B", [supplier("Omega Systems", identifiers=["gb-coh-0123 4567"])])
    view = line_up([a, b], TODAY)
    assert [s.trusts for s in view.suppliers] == [("Trust A", "Trust B")]


def test_company_numbers_match_without_leading_zeros_or_with_a_gb_coh_prefix() -> None:
    a = _file("Trust A", [supplier("Acme Ltd", company_number="01234567")])
    b = _file("Trust B", [supplier("Acme Limited", company_number="1234567")])
    c = _file("Trust C", [supplier("Acme Health", company_number="GB-COH-01234567")])
    d = _file("Trust D", [supplier("Acme Systems", identifiers=["GB-COH-1234567"])])
    e = _file("Trust E", [supplier("Acme Ltd", company_number="01234568")])  # another company
    view = line_up([a, b, c, d, e], TODAY)
    assert sorted(s.trusts for s in view.suppliers) == [
        ("Trust A", "Trust B", "Trust C", "Trust D"),
        ("Trust E",),
    ]


def test_identifiers_match_whatever_the_names() -> None:
    a = _file("Trust A", [supplier("Alpha", identifiers=["GB-CHC-1234"])])
    b = _file("Trust B", [supplier("Beta", identifiers=["GB-CHC-1234"])])
    c = _file("Trust C", [supplier("Gamma", identifiers=["GB-CHC-9999"])])
    view = line_up([a, b, c], TODAY)
    assert sorted(s.trusts for s in view.suppliers) == [("Trust A", "Trust B"), ("Trust C",)]


def test_normalised_names_match_without_identifiers() -> None:
    a = _file("Trust A", [supplier("The Acme Company (U.K.) Limited")])
    b = _file("Trust B", [supplier("acme company uk")])
    c = _file("Trust C", [supplier("Acme Company Europe")])  # another word: another supplier
    view = line_up([a, b, c], TODAY)
    assert sorted(s.trusts for s in view.suppliers) == [("Trust A", "Trust B"), ("Trust C",)]


def test_one_name_never_joins_two_different_company_numbers() -> None:
    a = _file("Trust A", [supplier("Acme Ltd", company_number="01234567")])
    b = _file("Trust B", [supplier("Acme Limited", company_number="07654321")])
    c = _file("Trust C", [supplier("ACME")])
    view = line_up([a, b, c], TODAY)
    # the one without a number joins one of them by name; the two numbers stay apart
    assert len(view.suppliers) == 2
    assert all(len(s.company_numbers) == 1 for s in view.suppliers)


def test_matching_is_transitive_across_trusts() -> None:
    a = _file("Trust A", [supplier("Acme", company_number="01234567")])
    b = _file("Trust B", [supplier("Acme Cloud", company_number="01234567")])
    c = _file("Trust C", [supplier("Acme Cloud Ltd")])  # by name, to Trust B's record
    view = line_up([a, b, c], TODAY)
    assert [s.trusts for s in view.suppliers] == [("Trust A", "Trust B", "Trust C")]
    assert view.suppliers[0].name == "Acme"  # a tie of spellings: the first alphabetically


def test_each_trust_keeps_its_own_criticality_score_and_band() -> None:
    a = _file("Trust A", [supplier("Acme", criticality="strategic", score=70, band="severe")])
    b = _file("Trust B", [supplier("Acme", criticality=None, score=None, band=None)])
    acme = line_up([a, b], TODAY).suppliers[0]
    by_trust = {u.trust: u for u in acme.uses}
    assert (by_trust["Trust A"].criticality, by_trust["Trust A"].score) == ("strategic", 70)
    assert by_trust["Trust A"].band == "severe"
    # not shared stays unknown
    assert by_trust["Trust B"].criticality is None
    assert by_trust["Trust B"].score is None and by_trust["Trust B"].band is None


# --- joint windows --------------------------------------------------------------------------


def test_two_trusts_three_months_apart_make_a_window() -> None:
    windows = joint_windows(
        [_line("A", dt.date(2027, 3, 1)), _line("B", dt.date(2027, 6, 1))], TODAY
    )
    assert [(w.start, w.end, w.trusts) for w in windows] == [
        (dt.date(2027, 3, 1), dt.date(2027, 6, 1), ("A", "B"))
    ]


@pytest.mark.parametrize(
    ("first", "second", "window"),
    [
        (dt.date(2027, 1, 31), dt.date(2027, 7, 31), True),  # exactly six months
        (dt.date(2027, 1, 31), dt.date(2027, 8, 1), False),  # a day more
        (dt.date(2027, 8, 31), dt.date(2028, 2, 29), True),  # six months from 31 August
        (dt.date(2027, 8, 31), dt.date(2028, 3, 1), False),
        (dt.date(2027, 3, 1), dt.date(2027, 11, 1), False),  # eight months
    ],
)
def test_six_calendar_months_inclusive(first: dt.date, second: dt.date, window: bool) -> None:
    windows = joint_windows([_line("B", second), _line("A", first)], TODAY)
    assert bool(windows) is window


def test_one_trusts_contracts_never_make_a_window_alone() -> None:
    lines = [_line("A", dt.date(2027, 3, 1), "X"), _line("A", dt.date(2027, 4, 1), "Y")]
    assert joint_windows(lines, TODAY) == ()


def test_past_and_unknown_decide_by_dates_are_not_counted() -> None:
    lines = [
        _line("A", dt.date(2026, 10, 1)),  # passed: shown on the timeline, not in a window
        _line("B", dt.date(2027, 1, 1)),
        _line("C", None),
    ]
    assert joint_windows(lines, TODAY) == ()
    # today itself still counts
    assert joint_windows([_line("A", TODAY), _line("B", dt.date(2027, 1, 1))], TODAY)


def test_a_window_is_found_after_a_lone_earlier_date_of_the_same_trust() -> None:
    # A's first date has only A within six months; from A's second date, B is within six
    lines = [
        _line("A", dt.date(2027, 1, 1), "X"),
        _line("A", dt.date(2027, 6, 1), "Y"),
        _line("B", dt.date(2027, 8, 1)),
    ]
    windows = joint_windows(lines, TODAY)
    assert [(w.start, w.end, w.trusts) for w in windows] == [
        (dt.date(2027, 6, 1), dt.date(2027, 8, 1), ("A", "B"))
    ]
    assert [c.title for c in windows[0].contracts] == ["Y", "C"]


def test_dense_dates_make_windows_that_do_not_overlap_each_six_months_at_most() -> None:
    days = [dt.date(2027, 1, 1) + dt.timedelta(days=40 * i) for i in range(12)]
    lines = [_line("AB"[i % 2], d, f"c{i}") for i, d in enumerate(days)]
    windows = joint_windows(lines, TODAY)
    assert len(windows) >= 2
    for w in windows:
        assert w.end <= add_months(w.start, 6)
        assert set(w.trusts) == {"A", "B"}
    for before, after in itertools.pairwise(windows):
        assert before.end < after.start


def test_a_trust_close_only_to_a_date_inside_the_window_before_gets_a_window_with_it() -> None:
    """A by 1 January and B by 1 March make a window; C by 1 August is seven months after A but
    five after B: B and C must decide within six months too, so they get a window of their own
    (B is in both), rather than C being left out."""
    lines = [
        _line("A", dt.date(2027, 1, 1)),
        _line("B", dt.date(2027, 3, 1)),
        _line("C", dt.date(2027, 8, 1)),
    ]
    windows = joint_windows(lines, TODAY)
    assert [(w.start, w.end, w.trusts) for w in windows] == [
        (dt.date(2027, 1, 1), dt.date(2027, 3, 1), ("A", "B")),
        (dt.date(2027, 3, 1), dt.date(2027, 8, 1), ("B", "C")),
    ]


def test_no_date_within_six_months_of_another_trusts_is_left_out_of_every_window() -> None:
    """Whatever the dates, a decide-by date within six months of another trust's is in a
    window, and every window has two or more trusts and spans six months at most."""
    import random

    rng = random.Random(19)
    for _ in range(500):
        lines = [
            _line(rng.choice("ABCD"), TODAY + dt.timedelta(days=rng.randrange(0, 900)), f"c{n}")
            for n in range(rng.randrange(2, 10))
        ]
        windows = joint_windows(lines, TODAY)
        for w in windows:
            assert w.end <= add_months(w.start, 6)
            assert len(set(w.trusts)) >= 2
        for line in lines:
            assert line.decide_by is not None
            partnered = any(
                other.trust != line.trust
                and other.decide_by is not None
                and max(other.decide_by, line.decide_by)
                <= add_months(min(other.decide_by, line.decide_by), 6)
                for other in lines
            )
            in_window = any(line in w.contracts for w in windows)
            assert in_window == partnered, line


# --- the view -------------------------------------------------------------------------------


def test_the_view_orders_soonest_window_first_then_by_trusts() -> None:
    a = _file(
        "Trust A",
        [supplier("Late"), supplier("Soon"), supplier("Wide"), supplier("Alone")],
        [
            contract("Late", "L", end_date="2028-06-01", decide_by="2028-06-01"),
            contract("Soon", "S", end_date="2027-02-01", decide_by="2027-02-01"),
        ],
    )
    b = _file(
        "Trust B",
        [supplier("Late"), supplier("Soon"), supplier("Wide")],
        [
            contract("Late", "L", end_date="2028-07-01", decide_by="2028-07-01"),
            contract("Soon", "S", end_date="2027-03-01", decide_by="2027-03-01"),
        ],
    )
    c = _file("Trust C", [supplier("Wide")])
    view = line_up([c, b, a], TODAY)
    assert [s.name for s in view.suppliers] == ["Soon", "Late", "Wide", "Alone"]
    assert [s.name for s in view.shared] == ["Soon", "Late", "Wide"]
    assert [s.name for s in view.with_windows] == ["Soon", "Late"]
    assert view.trusts == ("Trust A", "Trust B", "Trust C")


def test_unknown_dates_are_data_gaps_not_dropped() -> None:
    a = _file(
        "Trust A",
        [supplier("Acme")],
        [
            contract("Acme", "Support", end_date=None),
            contract("Acme", "Licence", end_date="2027-06-01", decide_by=None),
        ],
    )
    b = _file("Trust B", [supplier("Acme")])
    acme = line_up([a, b], TODAY).suppliers[0]
    assert acme.gaps == (
        "Trust A: “Support” end date not recorded",
        "Trust A: “Licence” decide-by not shared",
        "Trust B: no contract in the shared file",
    )
    # both contracts stay on the timeline, unknown dates last
    assert [c.title for c in acme.timeline] == ["Licence", "Support"]


def test_a_passed_decide_by_is_on_the_timeline_marked_passed() -> None:
    a = _file(
        "Trust A",
        [supplier("Acme")],
        [contract("Acme", "Old", end_date="2027-01-01", decide_by="2026-06-01")],
    )
    acme = line_up([a], TODAY).suppliers[0]
    assert [(c.title, c.passed) for c in acme.timeline] == [("Old", True)]


def test_two_files_of_one_trust_keep_the_newer_with_a_warning() -> None:
    old = _file("Trust A", [supplier("Old Supplier")], exported_at="2026-10-01T09:00:00+00:00")
    new = _file("trust  a", [supplier("New Supplier")], exported_at="2026-11-01T09:00:00+00:00")
    view = line_up([new, old], TODAY)
    assert [s.name for s in view.suppliers] == ["New Supplier"]
    assert len(view.warnings) == 1
    assert "older export of Trust A" in view.warnings[0]


def test_two_files_of_one_trust_at_the_same_moment_are_refused() -> None:
    one = _file("Trust A", [supplier("X")])
    two = parse_shared(share_document("Trust A", [supplier("Y")]), "copy.json")
    with pytest.raises(BadFile, match=r"^copy\.json: shared by Trust A at the same time"):
        line_up([one, two], TODAY)


def test_files_without_a_trust_name_are_told_apart_by_file() -> None:
    one = parse_shared(share_document(None, [supplier("Acme")]), "one.json")
    two = parse_shared(share_document(None, [supplier("Acme")]), "two.json")
    view = line_up([one, two], TODAY)
    assert view.suppliers[0].trusts == ("Unnamed trust (one.json)", "Unnamed trust (two.json)")
    assert view.warnings == ()


def test_the_positional_makers_build_the_same_frozen_records() -> None:
    import dataclasses

    from supplier_register.ics.model import SharedContract, make_contract

    values = ("Acme", "EPR", None, "framework", None, dt.date(2027, 1, 1), 90, True, 0, None)
    made = make_contract(*values)
    assert made == SharedContract(*values)
    assert hash(made) == hash(SharedContract(*values))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "Other"  # type: ignore[misc]


def test_names_of_punctuation_only_never_match() -> None:
    a = _file("Trust A", [supplier("???")])
    b = _file("Trust B", [supplier("!!!")])
    assert sorted(s.trusts for s in line_up([a, b], TODAY).suppliers) == [
        ("Trust A",),
        ("Trust B",),
    ]


def test_the_day_given_decides_what_has_passed() -> None:
    lines = [_line("A", dt.date(2027, 1, 1)), _line("B", dt.date(2027, 3, 1))]
    assert joint_windows(lines, TODAY)
    assert joint_windows(lines, dt.date(2027, 2, 1)) == ()  # A's date passed by then


def test_a_decide_by_date_given_without_an_end_date_is_shown_not_hidden() -> None:
    a = _file(
        "Trust A",
        [supplier("Acme")],
        [contract("Acme", "EPR", end_date=None, decide_by="2027-03-01")],
    )
    b = _file(
        "Trust B",
        [supplier("Acme")],
        [contract("Acme", "PAS", end_date="2028-01-01", decide_by="2027-05-01")],
    )
    view = line_up([a, b], TODAY)
    acme = view.suppliers[0]
    assert [(w.start, w.trusts) for w in acme.windows] == [
        (dt.date(2027, 3, 1), ("Trust A", "Trust B"))
    ]
    # the window counts Trust A's date: every view shows it too, beside the gap
    epr = acme.uses[0].contracts[0]
    assert decide_by_text(epr) == "2027-03-01"
    assert acme.gaps[0] == "Trust A: “EPR” end date not recorded"
    html = render_ics_html(view, every_supplier=True)
    assert "decide by 1 March 2027" in html
    assert "decide by end date not recorded" not in html


def test_the_markdown_windows_table_is_soonest_first_as_the_html_paper() -> None:
    def pair(trust: str, x: tuple[str, str], y: str) -> SharedFile:
        return _file(
            trust,
            [supplier("Xeno"), supplier("Yak")],
            [
                contract("Xeno", "X1", decide_by=x[0]),
                contract("Xeno", "X2", decide_by=x[1]),
                contract("Yak", "Y", decide_by=y),
            ],
        )

    view = line_up(
        [
            pair("Trust A", ("2027-01-10", "2029-01-10"), "2028-01-10"),
            pair("Trust B", ("2027-02-10", "2029-02-10"), "2028-02-10"),
        ],
        TODAY,
    )
    markdown = ics_markdown(view)
    rows = [line.split(" | ")[:2] for line in markdown.splitlines() if " to 20" in line]
    assert rows[:3] == [
        ["| Xeno", "2027-01-10 to 2027-02-10"],
        ["| Yak", "2028-01-10 to 2028-02-10"],
        ["| Xeno", "2029-01-10 to 2029-02-10"],
    ]
    assert [o.window.start.year for o in opportunities(view)] == [2027, 2028, 2029]
