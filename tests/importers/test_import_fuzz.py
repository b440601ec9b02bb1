"""Random, truncated and malformed files: row-level errors or one BadFile line, never a crash."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supplier_register.domain.errors import RegisterError
from supplier_register.domain.models import Register
from supplier_register.importers.ocds import plan_ocds
from supplier_register.importers.tabular import plan_table, read_table
from supplier_register.services.imports import apply_import, open_ocds, open_spreadsheet
from supplier_register.storage import Repository, open_database
from tests.importers.import_helpers import FIXTURES, NOW
from tests.support.registers import dump, small_register

T = TypeVar("T")
FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HEADERS = [
    "Supplier",
    "Vendor",
    "Contract",
    "Contract end",
    "Start",
    "Annual cost (£k)",
    "Criticality",
    "Category",
    "Owner",
    "Owner role",
    "Company number",
    "Notice (months)",
    "Auto renew",
    "SME",
    "Review frequency",
    "Shared with",
    "Mystery",
    "",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "n/a",
            "Acme Ltd",
            "ACME LIMITED",
            "Beta [UK] Ltd",
            "[@click=app.quit]x[/]",
            '=HYPERLINK("x")',
            "31/02/2024",
            "31/03/2027",
            "2027-03-31",
            "45747",
            "£1,250.50",
            "£2.5m",
            "-5",
            "1e400",
            "High",
            "Strategic",
            "EPR",
            "Yes",
            "maybe",
            "01234567",
            "quarterly",
            "#REF!",
            "Total",
            "x" * 300,
        ]
    ),
    st.text(max_size=30),
)


def attempt(action: Callable[[], T]) -> tuple[T | None, RegisterError | None]:
    """Run ``action``: its result, or the user error it raised (anything else propagates)."""
    try:
        return action(), None
    except RegisterError as exc:
        return None, exc


def _fresh_repo() -> Repository:
    repo = Repository(open_database(":memory:"))
    repo.import_register(small_register())
    return repo


@FUZZ
@given(st.binary(max_size=600), st.sampled_from([".csv", ".xlsx", ".tsv"]))
def test_random_bytes_give_a_plan_or_one_bad_file_line(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(data)
        plan, error = attempt(lambda: plan_table(read_table(path), small_register()))
    if error is not None:
        assert "\n" not in error.message
    else:
        assert plan is not None
        assert all("\n" not in r.line() for r in plan.rejections)


@FUZZ
@given(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    st.lists(st.lists(CELLS, max_size=9), max_size=12),
    st.integers(min_value=0, max_value=400),
)
def test_random_registers_reject_rows_or_apply_them_and_never_half_write(
    headers: list[str], rows: list[list[str]], cut: int
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([headers, *rows])
    text = buffer.getvalue()
    text = text[: len(text) - cut] if cut < len(text) else text
    repo = _fresh_repo()
    before = dump(repo.db)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        path.write_text(text, encoding="utf-8")
        applied, error = attempt(lambda: apply_import(repo, open_spreadsheet(path), NOW))
    if error is not None:
        assert "\n" not in error.message
        assert dump(repo.db) == before
        return
    assert applied is not None
    if not applied.plan.has_writes:
        tables = [t for t in dump(repo.db) if t[0] not in ("import_provenance", "audit_log")]
        assert tables == [t for t in before if t[0] not in ("import_provenance", "audit_log")]
    register = repo.load_register()
    names = {s.name.casefold() for s in register.suppliers}
    for record in applied.plan.records.suppliers:
        assert record.name.casefold() in names


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "ocid",
                    "id",
                    "date",
                    "releases",
                    "records",
                    "compiledRelease",
                    "buyer",
                    "parties",
                    "awards",
                    "contracts",
                    "tender",
                    "suppliers",
                    "name",
                    "value",
                    "amount",
                    "currency",
                    "period",
                    "contractPeriod",
                    "startDate",
                    "endDate",
                    "status",
                    "awardID",
                    "roles",
                    "identifier",
                    "scheme",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@FUZZ
@given(JSON_VALUES)
def test_random_json_gives_a_plan_or_one_line_error(data: Any) -> None:
    plan, error = attempt(lambda: plan_ocds(data, "random.json", small_register(), buyer=None))
    if error is not None:
        assert "\n" not in error.message
    else:
        assert plan is not None
        Register.model_validate(plan.records.model_dump())


def _mutate(node: Any, path: list[int], replacement: Any) -> Any:
    if not path:
        return replacement
    step, rest = path[0], path[1:]
    if isinstance(node, dict) and node:
        key = sorted(node)[step % len(node)]
        return {**node, key: _mutate(node[key], rest, replacement)}
    if isinstance(node, list) and node:
        index = step % len(node)
        return [*node[:index], _mutate(node[index], rest, replacement), *node[index + 1 :]]
    return replacement


PACKAGE = json.loads((FIXTURES / "ocds_release_package.json").read_text(encoding="utf-8"))


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=50), max_size=7), JSON_VALUES)
def test_mutated_release_packages_never_crash(path: list[int], replacement: Any) -> None:
    data = _mutate(PACKAGE, path, replacement)
    _, error = attempt(lambda: plan_ocds(data, "mutated.json", Register(), buyer="GB-NHS-RNV"))
    assert error is None or "\n" not in error.message


@FUZZ
@given(st.integers(min_value=1, max_value=20_000))
def test_truncated_json_is_one_bad_file_line_and_changes_nothing(cut: int) -> None:
    text = (FIXTURES / "ocds_release_package.json").read_bytes().rstrip()
    cut = cut % len(text)
    repo = _fresh_repo()
    before = dump(repo.db)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cut.json"
        path.write_bytes(text[:cut])
        _, error = attempt(lambda: apply_import(repo, open_ocds(path, "GB-NHS-RNV"), NOW))
    assert error is not None, "a truncated file was accepted"
    assert "not valid JSON" in error.message
    assert dump(repo.db) == before
