"""The virtual register table: layout, literal text, sorting, filtering and the cursor."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from supplier_register.domain import Criticality
from supplier_register.scoring.results import Band
from supplier_register.services.rows import (
    SupplierRow,
    _haystack,
    display_text,
    filter_rows,
    filter_terms,
    refines,
    row_matches,
)
from supplier_register.tui.widgets.register_table import (
    COLUMNS,
    RegisterTable,
    fit_cell,
    layout_columns,
    sort_rows,
)

HOSTILE = [
    "Acme [UK] Ltd",
    "[/]",
    "[@click=app.quit]x[/]",
    "[bold red]Loud[/bold red]",
    "Café 😀 Systems 🏥",
    "שירותי מחשוב בע״מ",
    "N" * 200,
]


def make_row(
    id: int,
    name: str,
    *,
    criticality: Criticality = Criticality.MEDIUM,
    owner: str = "",
    score: int | None = 50,
    band: Band | None = Band.MEDIUM,
    decide_by: dt.date | None = None,
    questions: int = 0,
    priority: float | None = None,
    impact: float | None = None,
    confidence: float | None = None,
) -> SupplierRow:
    return SupplierRow(
        id=id,
        name=name,
        category="EPR",
        criticality=criticality,
        owner=owner,
        score=score,
        band=band,
        top_finding="Auto-renews",
        decide_by=decide_by,
        questions=questions,
        haystack=_haystack(name, owner, "EPR", criticality.label, band.value if band else ""),
        priority=(
            priority if priority is not None or score is None else float(score * criticality.rank)
        ),
        impact=impact,
        confidence=confidence,
    )


class TableApp(App[None]):
    def __init__(self, rows: list[SupplierRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield RegisterTable(self.rows, today=dt.date(2026, 3, 1))


def screen_lines(table: RegisterTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


# ---------------------------------------------------------------- pure parts


@pytest.mark.parametrize("width", [1, 2, 5, 10, 31])
@pytest.mark.parametrize("text", HOSTILE)
def test_fit_cell_is_exactly_the_width_asked(text: str, width: int) -> None:
    fitted = fit_cell(text, width)
    assert cell_len(fitted) == width
    if cell_len(text) <= width:
        assert fitted.rstrip() == text


def test_fit_cell_right_justifies_and_marks_cut_text() -> None:
    assert fit_cell("42", 5, "right") == "   42"
    assert fit_cell("abcdef", 4) == "abc…"
    assert fit_cell("😀😀😀", 4) == "😀 …"


def test_display_text_removes_control_characters_only() -> None:
    assert display_text("a\x1b[31mb\nc\td") == "a [31mb c d"
    assert display_text("[/] 😀 שלום") == "[/] 😀 שלום"


@pytest.mark.parametrize("width", [20, 60, 78, 118, 200])
def test_layout_fills_the_width_and_keeps_the_name(width: int) -> None:
    layout = layout_columns(width)
    assert "name" in [c.key for c, _ in layout]
    used = 1 + sum(w for _, w in layout) + (len(layout) - 1)
    assert used == width
    if width >= 122:
        assert [c.key for c, _ in layout] == [c.key for c in COLUMNS]


def test_narrow_layout_drops_lowest_priority_first() -> None:
    keys = [c.key for c, _ in layout_columns(78)]
    assert "finding" not in keys
    # At 80 columns: what to do next (priority, decide by, notice by) before impact and
    # confidence, which the help and the wider layouts explain.
    assert keys == [
        "priority",
        "name",
        "criticality",
        "score",
        "band",
        "decide_by",
        "notice_by",
    ]
    assert {"impact", "confidence"} <= {c.key for c, _ in layout_columns(98)}
    # The band column holds 'Unassessed' whole, at any width that shows it.
    for width in (60, 78, 118):
        assert {c.key: w for c, w in layout_columns(width)}["band"] >= len("Unassessed")


def test_sort_puts_blanks_last_in_both_directions() -> None:
    rows = [
        make_row(1, "b", score=None, band=None),
        make_row(2, "a", score=10),
        make_row(3, "c", score=90),
    ]
    assert [r.id for r in sort_rows(rows, "score", reverse=False)] == [2, 3, 1]
    assert [r.id for r in sort_rows(rows, "score", reverse=True)] == [3, 2, 1]


def test_sort_ties_break_by_name() -> None:
    rows = [make_row(i, name, score=5) for i, name in enumerate(["delta", "Alpha", "charlie"])]
    assert [r.name for r in sort_rows(rows, "score", reverse=True)] == [
        "Alpha",
        "charlie",
        "delta",
    ]


# ------------------------------------------------------------------ mounted


async def test_hostile_names_render_literally_and_aligned() -> None:
    rows = [make_row(i, name, score=100 - i) for i, name in enumerate(HOSTILE)]
    app = TableApp(rows)
    # Wide enough for the longest bracketed name in the name column, beside the other columns.
    async with app.run_test(size=(160, 20)) as pilot:
        table = app.query_one(RegisterTable)
        table.sort_by("score", reverse=True)
        await pilot.pause()
        lines = screen_lines(table)
        width = table.scrollable_content_region.width
        for line in lines[1 : len(HOSTILE) + 1]:
            assert cell_len(line) == width
        body = "\n".join(lines)
        for name in HOSTILE[:-1]:
            assert name in body
        assert "N" * 30 in body
        assert "…" in body
        # The criticality column starts at the same cell on every line.
        starts = {cell_len(line.split("Medium")[0]) for line in lines[1 : len(HOSTILE) + 1]}
        assert len(starts) == 1
        assert app.is_running  # the [@click=app.quit] name did not quit the app


async def test_cursor_moves_and_pages() -> None:
    rows = [make_row(i, f"Supplier {i:03d}", score=i) for i in range(200)]
    app = TableApp(rows)
    async with app.run_test(size=(100, 22)) as pilot:
        table = app.query_one(RegisterTable)
        assert table.cursor_supplier_id == 199  # highest score first
        table.sort_by("name", reverse=False)
        table.focus()
        await pilot.pause()
        assert table.cursor_supplier_id == 199  # the cursor follows its supplier
        await pilot.press("home")
        assert table.cursor_supplier_id == 0
        await pilot.press("down", "down", "j")
        assert table.cursor_row == 3
        await pilot.press("up")
        assert table.cursor_row == 2
        page = table.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert table.cursor_row == 2 + page
        assert table.scroll_offset.y > 0
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_supplier_id == 199
        assert "Supplier 199" in "\n".join(screen_lines(table))
        await pilot.press("pageup")
        assert table.cursor_row == 199 - page
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
        assert table.scroll_offset.y == 0
        await pilot.press("up")
        assert table.cursor_row == 0


async def test_enter_posts_selected() -> None:
    selected: list[int] = []

    class Recorder(TableApp):
        def on_register_table_selected(self, event: RegisterTable.Selected) -> None:
            selected.append(event.supplier_id)

    app = Recorder([make_row(i, f"S{i}", score=i) for i in range(5)])
    async with app.run_test() as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
    assert selected == [3]  # sorted by score, highest first: 4, 3, ...


async def test_sort_keys_and_header_click() -> None:
    rows = [
        make_row(1, "Beta", criticality=Criticality.LOW, score=90),
        make_row(2, "alpha", criticality=Criticality.STRATEGIC, score=10),
        make_row(3, "Gamma", criticality=Criticality.HIGH, score=50),
    ]
    app = TableApp(rows)
    async with app.run_test(size=(120, 10)) as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        # Default: priority (the rows' priorities: 150, 90, 40), highest first, the
        # priority column marked as sorted.
        assert (table.sort_key, table.sort_reverse) == ("priority", True)
        assert [r.id for r in table.view] == [3, 1, 2]
        header = table.render_line(0).text
        assert "▼Pri." in header and header.count("▼") == 1 and "▲" not in header
        await pilot.press("1")
        assert table.sort_key == "name"
        assert [r.id for r in table.view] == [2, 1, 3]
        await pilot.press("1")
        assert table.sort_reverse
        assert [r.id for r in table.view] == [3, 1, 2]
        await pilot.press("2")
        assert [r.id for r in table.view] == [2, 3, 1]  # strategic first
        await pilot.press("S")
        assert [r.id for r in table.view] == [1, 3, 2]
        await pilot.press("s")
        assert table.sort_key == "owner"
        # Click the "Score" header cell.
        header = table.render_line(0).text
        x = header.index("Score")
        assert await pilot.click(RegisterTable, offset=(x, 0))
        assert table.sort_key == "score"
        assert table.sort_reverse
        assert "▼Score" in table.render_line(0).text
        assert [r.id for r in table.view] == [1, 3, 2]
        await pilot.press("0")
        assert (table.sort_key, table.sort_reverse) == ("priority", True)
        assert [r.id for r in table.view] == [3, 1, 2]


async def test_cursor_stays_on_supplier_through_sort_and_filter() -> None:
    rows = [make_row(i, f"Supplier {i}", owner="Ann" if i % 2 else "Bob") for i in range(20)]
    app = TableApp(rows)
    async with app.run_test() as pilot:
        table = app.query_one(RegisterTable)
        assert table.move_to_id(7)
        table.sort_by("name")
        assert table.cursor_supplier_id == 7
        table.filter_text = "ann"
        await pilot.pause()
        assert table.cursor_supplier_id == 7
        assert all(r.owner == "Ann" for r in table.view)
        assert table.row_count == 10
        table.filter_text = "bob"
        await pilot.pause()
        assert table.cursor_row == 0
        assert table.cursor_supplier_id is not None
        table.filter_text = "nobody matches this"
        await pilot.pause()
        assert table.row_count == 0
        assert table.cursor_supplier_id is None
        assert "No suppliers" in "\n".join(screen_lines(table))


async def test_fifty_thousand_rows_filter_sort_and_scroll() -> None:
    rows = [
        make_row(i, f"Supplier {i:05d}", score=i % 101, owner=f"Owner {i % 7}")
        for i in range(50_000)
    ]
    app = TableApp(rows)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        assert table.row_count == 50_000
        table.filter_text = "supplier 0499"
        await pilot.pause()
        assert {r.id for r in table.view} == {i for i in range(50_000) if "0499" in f"{i:05d}"}
        table.filter_text = "owner 3 supplier 0001"
        await pilot.pause()
        expected = {
            i for i in range(50_000) if "0001" in f"{i:05d}" and ("3" in f"{i:05d}" or i % 7 == 3)
        }
        assert {r.id for r in table.view} == expected
        table.filter_text = ""
        table.sort_by("name", reverse=True)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_supplier_id == 0
        assert "Supplier 00000" in "\n".join(screen_lines(table))


# ------------------------------------------------------------ faster filtering

WORDS = ["vale", "health", "vale health", "ltd", "Válé", "ＶＡＬＥ", "North", "ann", "x"]


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=30),
    query=st.sampled_from(WORDS) | st.text(max_size=6),
)
def test_filter_rows_keeps_exactly_the_matching_rows_in_order(names: list[str], query: str) -> None:
    rows = [make_row(i, name, owner="Ann" if i % 3 else "") for i, name in enumerate(names)]
    terms = filter_terms(query)
    assert filter_rows(rows, terms) == [r for r in rows if row_matches(r, terms)]


def test_refines_only_when_every_earlier_term_is_inside_a_new_one() -> None:
    assert refines(["vale", "he"], ["vale", "h"])
    assert refines(["vale"], ["val"])
    assert refines(["health", "vale"], ["vale"])
    assert not refines(["val"], ["vale"])
    assert not refines(["vale"], ["vale", "h"])
    assert refines(["x"], [])


async def test_typing_and_deleting_a_filter_shows_what_a_fresh_filter_shows() -> None:
    rows = [
        make_row(i, f"{['Vale', 'North', 'Vale Health'][i % 3]} {i} Ltd", owner="Ann" * (i % 2))
        for i in range(60)
    ]
    app = TableApp(rows)
    query = "vale he 1"
    async with app.run_test() as pilot:
        table = app.query_one(RegisterTable)

        def fresh() -> list[int]:
            terms = filter_terms(table.filter_text)
            ordered = sort_rows(table.rows, table.sort_key, table.sort_reverse)
            return [r.id for r in ordered if row_matches(r, terms)]

        steps = [query[:n] for n in range(1, len(query) + 1)]
        for text in [*steps, *reversed(steps[:-1]), "", *steps]:
            table.filter_text = text
            await pilot.pause()
            assert [r.id for r in table.view] == fresh(), text
        # New rows under the same filter: nothing stale is shown.
        renamed = [make_row(r.id, f"Vale Health {r.id}1") for r in rows[:5]] + rows[5:]
        assert table.filter_text == query
        table.set_rows(renamed)
        assert [r.id for r in table.view] == fresh()
        assert set(range(5)) <= {r.id for r in table.view}
        table.filter_text = query + "1"
        await pilot.pause()
        assert [r.id for r in table.view] == fresh()
        # A new order under the same filter.
        table.sort_by("name", reverse=True)
        assert [r.id for r in table.view] == fresh()
        table.filter_text = query
        await pilot.pause()
        assert [r.id for r in table.view] == fresh()


# ------------------------------------------------- the first rows, then the rest


def ranked_rows(count: int) -> list[SupplierRow]:
    """Rows whose priority order is their id order (0 first)."""
    return [make_row(i, f"Supplier {i:03d}", priority=1000.0 - i) for i in range(count)]


async def test_first_rows_then_the_rest_keep_cursor_and_scroll() -> None:
    rows = ranked_rows(300)
    app = TableApp([])
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        table.set_rows(rows[:20], total=300)
        await pilot.pause()
        assert table.partial and table.total == 300 and table.row_count == 20
        assert [r.id for r in table.view] == list(range(20))
        await pilot.press("down", "down", "down")
        scroll = table.scroll_offset
        lines = screen_lines(table)
        table.set_rows(rows)
        await pilot.pause()
        assert not table.partial and table.total == 300
        assert table.cursor_supplier_id == 3 and table.cursor_row == 3
        assert table.scroll_offset == scroll
        assert screen_lines(table) == lines  # the first screen did not move


async def test_keys_past_the_first_rows_are_carried_out_when_the_rest_arrives() -> None:
    rows = ranked_rows(300)
    app = TableApp([])
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        table.set_rows(rows[:20], total=300)
        await pilot.pause()
        page = table._page_rows
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert table.cursor_row == 19  # as far as the rows loaded so far go
        table.set_rows(rows)
        await pilot.pause()
        assert table.cursor_row == 3 * page  # where three pages down lead
        assert table.cursor_supplier_id == 3 * page
        # End, then the rest arriving in two steps.
        table.set_rows(rows[:20], total=300)
        await pilot.press("home", "end")
        table.set_rows(rows[:100], total=300)
        assert table.cursor_row == 99
        table.set_rows(rows)
        await pilot.pause()
        assert table.cursor_supplier_id == 299
        assert "Supplier 299" in "\n".join(screen_lines(table))


async def test_a_key_that_changes_its_mind_or_a_new_order_drops_the_kept_move() -> None:
    rows = ranked_rows(300)
    app = TableApp([])
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        table.set_rows(rows[:20], total=300)
        await pilot.press("end", "home")
        table.set_rows(rows)
        assert table.cursor_row == 0
        table.set_rows(rows[:20], total=300)
        await pilot.press("end", "1")  # sort by name: "row 299" no longer means the same row
        table.set_rows(rows)
        await pilot.pause()
        assert table.sort_key == "name"
        assert table.cursor_supplier_id == 19  # the cursor stays on its supplier


async def test_filter_while_only_the_first_rows_are_shown() -> None:
    rows = ranked_rows(300)
    app = TableApp([])
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(RegisterTable)
        table.set_rows(rows[:20], total=300)
        table.filter_text = "01"
        await pilot.pause()
        assert [r.id for r in table.view] == [1, *range(10, 20)]  # among the first 20
        table.set_rows(rows)
        await pilot.pause()
        expected = [i for i in range(300) if "01" in f"{i:03d}"]
        assert [r.id for r in table.view] == expected


async def test_first_rows_that_are_the_whole_register_are_not_partial() -> None:
    rows = ranked_rows(5)
    app = TableApp([])
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(RegisterTable)
        table.set_rows(rows, total=5)
        await pilot.pause()
        assert not table.partial and table.total == 5 and table.row_count == 5


async def test_keys_past_rows_still_waiting_for_their_place_wait_for_it() -> None:
    rows = ranked_rows(300)
    unplaced = [*rows[:20], *(row._replace(priority=None) for row in rows[20:])]
    app = TableApp([])
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        table.set_rows(unplaced, settled=20)  # every row here, only the first 20 in place
        await pilot.pause()
        assert table.settling and not table.partial and table.row_count == 300
        await pilot.press("end")
        assert table.cursor_row == 19
        table.filter_text = "supplier"  # a filter works on every row shown
        await pilot.press("end")
        assert table.cursor_row == 299
        table.filter_text = ""
        await pilot.press("home", "end")
        table.set_rows(rows)  # now in place
        await pilot.pause()
        assert not table.settling
        assert table.cursor_supplier_id == 299


async def test_impact_and_confidence_columns() -> None:
    rows = [
        make_row(1, "Known", score=84, band=Band.SEVERE, impact=4.5, confidence=0.9),
        make_row(2, "Guessed", score=60, band=Band.UNASSESSED, impact=3.3, confidence=0.23),
        make_row(3, "Plain", score=20, band=Band.MEDIUM, impact=2.0, confidence=1.0),
        make_row(4, "Unscored", score=None, band=None),
    ]
    app = TableApp(rows)
    async with app.run_test(size=(120, 10)) as pilot:
        table = app.query_one(RegisterTable)
        table.focus()
        lines = screen_lines(table)
        header = lines[0]
        assert header.index("Band") < header.index("Impact") < header.index("Conf.")
        by_name = {next(w for w in line.split() if not w.isdigit()): line for line in lines[1:5]}
        assert "84 Severe" in by_name["Known"]
        assert "4.5    90%" in by_name["Known"]
        assert "60 Unassessed" in by_name["Guessed"]  # whole, not cut to 'Unasse…'
        assert "3.3    23%" in by_name["Guessed"]
        assert "2.0   100%" in by_name["Plain"]
        assert "%" not in by_name["Unscored"] and "." not in by_name["Unscored"]
        # Keys 6 and 7 sort by impact (highest first) and confidence (least known first);
        # the unscored row stays last either way.
        await pilot.press("6")
        assert table.sort_key == "impact" and table.sort_reverse
        assert [r.id for r in table.view] == [1, 2, 3, 4]
        await pilot.press("7")
        assert table.sort_key == "confidence" and not table.sort_reverse
        assert [r.id for r in table.view] == [2, 1, 3, 4]
        await pilot.press("S")
        assert [r.id for r in table.view] == [3, 1, 2, 4]
        # The unassessed row's band, score and confidence are drawn muted and italic.
        table.sort_by("name", reverse=False)
        await pilot.pause()
        strip = table.render_line(1 + [r.id for r in table.view].index(2))
        italic = "".join(seg.text for seg in strip if seg.style is not None and seg.style.italic)
        assert "Unassessed" in italic and "60" in italic and "23%" in italic
        assert "3.3" not in italic
