"""One supplier: details, contracts, questionnaire answers, score by dimension, board questions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from supplier_register.domain import (
    AnswerRecord,
    Competition,
    ContractRecord,
    DataLocation,
    DependencyRecord,
    Difficulty,
    ExitPlan,
    RegisterError,
    Substitutability,
    SupplierRecord,
)
from supplier_register.domain.assurance import CERTIFIED, DSPT_HELD, AssuranceItem, dated
from supplier_register.domain.terms import extensions_text, latest_possible_end
from supplier_register.scoring.questions import default_question_bank
from supplier_register.scoring.results import Band, Finding, KeyQuestion, SupplierScore
from supplier_register.services.continuity import SupplierDependencies, read_dependencies
from supplier_register.services.register_view import Snapshot, SupplierView, supplier_view
from supplier_register.tui.app import DataScreen, read_failure
from supplier_register.tui.messages import DependenciesRead, SupplierViewRead
from supplier_register.tui.screens.import_screen import provenance_blocks
from supplier_register.tui.text import (
    BAND_STYLE,
    band_content,
    days_until,
    fmt_bool,
    fmt_date,
    fmt_days,
    fmt_impact,
    fmt_money,
    fmt_percent,
    lit,
)
from supplier_register.tui.widgets.blocks import Block, BlockView
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.widgets.record_list import RecordList

if TYPE_CHECKING:
    from pathlib import Path

    from supplier_register.tui.app import SupplierRegisterApp

BAR_WIDTH = 20
SOON_DAYS = 90

TABS = (
    ("overview", "Overview"),
    ("contracts", "Contracts"),
    ("score", "Score"),
    ("answers", "Questionnaire"),
    ("questions", "Board questions"),
    ("dependencies", "Dependencies"),
)


class ContractList(RecordList):
    """The supplier's contracts; Enter edits the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Edit contract", id="contract.select"),
    ]


class DependencyList(RecordList):
    """What the supplier depends on; Enter edits the highlighted dependency, x deletes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Edit dependency", id="dependency.select"),
        Binding(
            "x,delete",
            "delete_dependency",
            "Delete dependency",
            key_display="x",
            tooltip="Delete the highlighted dependency",
            id="dependency.delete_dependency",
        ),
    ]

    def action_delete_dependency(self) -> None:
        from supplier_register.tui.screens.edit import delete_dependency

        dependency_id = self.highlighted_record
        if dependency_id is None:
            self.notify("No dependency to delete.", severity="warning")
            return
        delete_dependency(self.app, dependency_id)  # type: ignore[arg-type]


def _kv(label: str, value: Content | str, width: int = 24) -> Content:
    value_content = value if isinstance(value, Content) else Content(value)
    return Content.assemble((f"{label:<{width}}", "$text-muted"), value_content)


def _heading(text: str) -> Content:
    return Content.styled(text, "bold $text-accent")


def decide_by_content(day: dt.date | None, today: dt.date) -> Content:
    """The decide-by date with how far away it is, highlighted when close or past."""
    if day is None:
        return Content.styled("no end date", "$text-muted")
    when = days_until(day, today)
    if day < today:
        return Content.styled(f"{day.isoformat()} ({when}: decision overdue)", "bold $text-error")
    if (day - today).days <= SOON_DAYS:
        return Content.styled(f"{day.isoformat()} ({when})", "bold $text-warning")
    return Content(f"{day.isoformat()} ({when})")


def supplier_title(
    supplier: SupplierRecord, band: Band | None, score: int | None, status: str = ""
) -> Content:
    """The screen's title line: name, band, criticality and category, then ``status``."""
    return Content.assemble(
        lit(supplier.name, "bold"),
        "  ",
        band_content(band, score),
        f"  · {supplier.criticality.label} · {supplier.category.label}",
        (status, "bold $text-warning"),
    )


def assurance_lines(supplier: SupplierRecord, today: dt.date) -> list[Content]:
    """Each assurance with its date ("date not recorded" when held without one), and what has
    lapsed by ``today`` flagged with the day it fell due."""
    due = {found.item: found for found in dated(supplier)}

    def line(label: str, item: AssuranceItem, status: str, date: str | None) -> Content:
        value = status if date is None else f"{status} · {date}"
        found = due.get(item)
        if found is None or found.due >= today:
            return _kv(label, value)
        if item == "cyber_essentials":  # the date is the expiry itself
            lapsed = (f" · expired {found.due.isoformat()}", "bold $text-error")
            return _kv(label, Content.assemble(status, lapsed))
        lapsed = (f" · {found.what} was due {found.due.isoformat()}", "bold $text-error")
        return _kv(label, Content.assemble(value, lapsed))

    def when(
        held: bool, day: dt.date | str | None, missing: str = "date not recorded"
    ) -> str | None:
        if day is not None:
            return day if isinstance(day, str) else day.isoformat()
        return missing if held else None

    s = supplier
    return [
        line(
            "DSPT status",
            "dspt",
            s.dspt_status.label,
            when(s.dspt_status in DSPT_HELD, s.dspt_year, "year not recorded"),
        ),
        line(
            "Cyber Essentials",
            "cyber_essentials",
            s.cyber_essentials.label,
            when(
                s.cyber_essentials in CERTIFIED,
                None
                if s.cyber_essentials_expiry is None
                else f"expires {s.cyber_essentials_expiry}",
                "expiry not recorded",
            ),
        ),
        line(
            "DTAC complete",
            "dtac",
            fmt_bool(s.dtac_complete),
            when(s.dtac_complete is True, s.dtac_date),
        ),
        line(
            "Clinical safety case",
            "clinical_safety_case",
            fmt_bool(s.clinical_safety_case),
            when(s.clinical_safety_case is True, s.clinical_safety_case_date),
        ),
        line(
            "DCB0160 assessment",
            "clinical_risk_assessment",
            fmt_bool(s.clinical_risk_assessment),
            when(s.clinical_risk_assessment is True, s.clinical_risk_assessment_date),
        ),
        line("DPIA", "dpia", fmt_bool(s.dpia_done), when(s.dpia_done is True, s.dpia_date)),
        line("Last pen test", "pen_test", fmt_date(s.pen_test_date, "not recorded"), None),
    ]


def overview_blocks(
    supplier: SupplierRecord, score: SupplierScore | None, today: dt.date
) -> list[Block]:
    """The headline risk first (what a board member asks about), then the supplier's details."""
    blocks = [Block(_heading("Risk"))]
    if score is None:
        blocks.append(Block(Content.styled("Not scored yet.", "$text-muted")))
    else:
        risk = [risk_sentence(score)]
        if score.top_finding is not None:
            risk.append(_kv("Top finding", lit(score.top_finding.title, "bold")))
        if score.next_decide_by:
            risk.append(_kv("Next decision", decide_by_content(score.next_decide_by, today)))
            if score.next_decide_by_contract:
                risk.append(_kv("", Content.assemble("for ", lit(score.next_decide_by_contract))))
        else:
            risk.append(
                _kv("Next decision", Content.styled("no contract end dates", "$text-muted"))
            )
        risk.append(_kv("Findings", f"{len(score.findings)} ({len(score.data_gaps)} data gaps)"))
        risk.append(_kv("Board questions", str(len(score.questions))))
        blocks += [Block(line) for line in risk]
    lines = [
        Content(""),
        _heading("Supplier"),
        _kv("Name", lit(supplier.name, "bold")),
        _kv("Category", supplier.category.label),
        _kv(
            "Criticality",
            Content.assemble(
                (supplier.criticality.label, "bold"), " · ", supplier.criticality.meaning
            ),
        ),
        _kv(
            "Relationship owner",
            lit(supplier.owner) if supplier.owner else Content.styled("none", "$text-warning"),
        ),
        _kv("Annual spend", fmt_money(supplier.annual_spend)),
        _kv("Company number", lit(supplier.company_number or "—")),
        _kv("SME", _recorded(supplier.sme)),
        _kv("Runs clinical systems", _recorded(supplier.runs_clinical_systems)),
        *assurance_lines(supplier, today),
        _kv(
            "Reviews",
            f"every {supplier.effective_cadence_months} months · last "
            f"{fmt_date(supplier.last_review, 'never')}",
        ),
        _kv(
            "Shared with",
            lit(", ".join(supplier.shared_with)) if supplier.shared_with else Content("—"),
        ),
        _kv("Parent group", lit(supplier.parent_group) if supplier.parent_group else Content("—")),
    ]
    blocks += [Block(line) for line in lines]
    if supplier.notes:
        blocks += [Block(Content("")), Block(_heading("Notes"))]
        blocks += [Block(lit(line)) for line in supplier.notes.splitlines()]
    return blocks


def _recorded(value: bool | None) -> Content:
    """Yes or No, or "not recorded" shown as a data gap (never as "No")."""
    if value is None:
        return Content.styled("not recorded", "$text-warning")
    return Content(fmt_bool(value))


def contract_option(contract: ContractRecord, findings: list[Finding], today: dt.date) -> Content:
    """A contract as a few lines: title, type, dates, decide-by and its warnings."""
    lines = [
        lit(contract.title, "bold"),
        Content(f"  {contract.contract_type.label} · {contract.what_is_bought.label}"),
        Content(
            f"  {fmt_date(contract.start_date)} to {fmt_date(contract.end_date)}"
            f" · notice {fmt_days(contract.notice_period_days)}"
            f" · move-away time {fmt_days(contract.migration_lead_time_days)}"
            + (
                " · auto-renewal not recorded"
                if contract.auto_renewal is None
                else " · auto-renews"
                if contract.auto_renewal
                else ""
            )
        ),
        (
            Content.styled(f"  ended {contract.end_date.isoformat()}", "$text-muted")
            if contract.end_date is not None and contract.end_date < today
            else Content.assemble("  decide by ", decide_by_content(contract.decide_by(), today))
        ),
    ]
    if contract.services:
        lines.append(Content.assemble("  supports ", lit(", ".join(contract.services))))
    lines.append(competition_and_extensions(contract))
    lines.append(exit_readiness(contract))
    for finding in findings:
        lines.append(
            Content.assemble(("  ⚠ ", "$text-warning"), lit(finding.title, "$text-warning"))
        )
    return Content("\n").join(lines)


def competition_and_extensions(contract: ContractRecord) -> Content:
    """How the contract was competed and its extension options, in one line; what is not
    recorded says so (never "no")."""
    competition = Content.assemble(
        "competition ",
        Content(contract.competition.label.lower())
        if contract.competition is not Competition.UNKNOWN
        else Content.styled("not recorded", "$text-warning"),
    )
    extensions: list[Content | str] = ["extensions "]
    if contract.extension_count is None:
        extensions.append(Content.styled("not recorded", "$text-warning"))
    else:
        extensions.append(extensions_text(contract))
        latest = latest_possible_end(contract)
        if contract.extension_count and latest is not None:
            extensions.append(f", latest end {fmt_date(latest)}")
    return Content.assemble("  ", competition, " · ", Content.assemble(*extensions))


def exit_readiness(contract: ContractRecord) -> Content:
    """How ready the trust is to leave the contract, in two lines; what is not recorded says so."""

    def part(label: str, known: bool, value: str) -> Content:
        return Content.assemble(
            f"{label} ",
            Content(value) if known else Content.styled("not recorded", "$text-warning"),
        )

    plan = contract.exit_plan.label.lower()
    if contract.exit_plan is ExitPlan.TESTED and contract.exit_plan_tested is not None:
        plan = f"tested {fmt_date(contract.exit_plan_tested)}"
    patient = "includes patient-identifiable data" if contract.patient_data else "no patient data"
    first = [
        part("exit plan", contract.exit_plan is not ExitPlan.UNKNOWN, plan),
        part(
            "substitutability",
            contract.substitutability is not Substitutability.UNKNOWN,
            contract.substitutability.label.lower(),
        ),
        part(
            "bringing in-house",
            contract.insourcing is not Difficulty.UNKNOWN,
            contract.insourcing.label.lower(),
        ),
    ]
    second = [
        part(
            "data held in",
            contract.data_location is not DataLocation.UNKNOWN,
            contract.data_location.label,
        ),
        Content(patient) if contract.patient_data is not None else part("patient data", False, ""),
        Content.assemble(
            "alternatives ",
            lit(", ".join(contract.alternative_providers))
            if contract.alternative_providers
            else Content("none recorded"),
        ),
    ]
    return Content("\n").join(
        [Content.assemble("  ", Content(" · ").join(line)) for line in (first, second)]
    )


def dependency_option(dependency: DependencyRecord) -> Content:
    """A dependency of this supplier: on whom, how, and the note (literal text)."""
    line = Content.assemble(
        lit(dependency.depends_on, "bold"), (f"  {dependency.kind.label}", "italic")
    )
    if dependency.note:
        line = Content.assemble(line, ("  · ", "$text-muted"), lit(dependency.note))
    return line


def dependents_content(dependents: tuple[DependencyRecord, ...]) -> Content:
    """Who depends on this supplier (so falls with it), one line each (literal text)."""
    if not dependents:
        return Content.styled("No supplier is recorded as depending on this one.", "$text-muted")
    lines = []
    for dependency in dependents:
        line = Content.assemble(
            "• ", lit(dependency.supplier, "bold"), (f"  {dependency.kind.label}", "italic")
        )
        if dependency.note:
            line = Content.assemble(line, ("  · ", "$text-muted"), lit(dependency.note))
        lines.append(line)
    return Content("\n").join(lines)


def risk_sentence(score: SupplierScore) -> Content:
    """The score in words: 'Risk 84 of 100, severe: impact 4.5 of 5 × exposure 93%.
    Confidence 90% (range 84–84).'; for an unassessed supplier, how little is known."""
    style = BAND_STYLE[score.band]
    if "bold" not in style.split():
        style = f"bold {style}"
    impact = f"impact {fmt_impact(score.impact)} of 5"
    if score.band is Band.UNASSESSED:
        return Content.assemble(
            ("Unassessed", style),
            f": only {fmt_percent(score.confidence)} of what matters is recorded; {impact}.",
        )
    if score.confidence >= 1:
        spread = "nothing unknown"
    elif score.risk_low == score.risk_high:
        spread = "the unknowns do not change it"
    else:
        spread = f"range {score.risk_low}–{score.risk_high}"
    return Content.assemble(
        (f"Risk {score.score} of 100, {score.band.value}", style),
        f": {impact} × exposure {fmt_percent(score.exposure)}. ",
        f"Confidence {fmt_percent(score.confidence)} ({spread}).",
    )


def score_blocks(score: SupplierScore | None) -> list[Block]:
    """The risk in words and what sets the impact, then exposure by dimension as bars, each
    followed by its findings and their explanations."""
    if score is None:
        return [Block(Content.styled("Not scored yet.", "$text-muted"))]
    blocks = [Block(risk_sentence(score))]
    blocks += [Block(Content.assemble("• ", lit(reason)), 2) for reason in score.impact_reasons]
    if score.band is Band.UNASSESSED:
        blocks.append(
            Block(
                Content.styled(
                    f"Until the gaps below are filled its risk could be anywhere from "
                    f"{score.risk_low} to {score.risk_high} of 100.",
                    "$text-muted",
                )
            )
        )
    blocks += [
        Block(
            Content.styled(
                "Risk is impact (the harm if the relationship went wrong, out of 5) times "
                "exposure (how open our known weaknesses leave us), shown out of 100. "
                "What is not known is not counted as a weakness: it lowers the confidence "
                "and widens the range. (Key i, Impact, shows something else: which services "
                "would stop if the supplier failed.)",
                "$text-muted",
            )
        ),
        Block(Content("")),
        Block(
            Content.assemble(
                ("Exposure by dimension", "bold"),
                ("  0% is none, 100% fully exposed", "$text-muted"),
            )
        ),
    ]
    for dimension_score in score.dimensions:
        filled = round(dimension_score.score * BAR_WIDTH / 100)
        blocks.append(Block(Content("")))
        blocks.append(
            Block(
                Content.assemble(
                    (f"{dimension_score.score:>3}% ", "bold"),
                    ("█" * filled, "$text-accent"),
                    ("░" * (BAR_WIDTH - filled), "$text-muted"),
                    "  ",
                    (dimension_score.dimension.label, "bold"),
                )
            )
        )
        findings = [f for f in score.findings if f.dimension == dimension_score.dimension]
        if not findings:
            blocks.append(Block(Content.styled("no findings", "$text-muted"), 5))
        for finding in findings:
            about = Content.assemble(" (", lit(finding.contract), ")") if finding.contract else ""
            gap = Content.styled(" · data gap", "$text-warning") if finding.data_gap else ""
            blocks.append(
                Block(
                    Content.assemble(
                        "• ",
                        lit(finding.title, "bold"),
                        about,
                        gap,
                        (
                            f"  up to +{finding.points:g} if bad"
                            if finding.data_gap
                            else f"  +{finding.points:g}",
                            "$text-muted",
                        ),
                    ),
                    2,
                )
            )
            blocks.append(Block(lit(finding.explanation), 4))
            blocks.append(Block(lit(f"Principle 6: {finding.reference}", "$text-muted"), 4))
    return blocks


ANSWER_STYLE = {
    "yes": "$text-success",
    "partly": "$text-warning",
    "no": "bold $text-error",
    "unknown": "$text-warning",
    "not_applicable": "$text-muted",
}


def answers_blocks(supplier: SupplierRecord, answers: list[AnswerRecord]) -> list[Block]:
    """Every question that applies to the supplier with its answer (or that it is unanswered)."""
    bank = default_question_bank()
    by_id = {a.question_id: a for a in answers}
    applicable = [q for q in bank.questions if q.applies(supplier.category, supplier.criticality)]
    answered = sum(1 for q in applicable if q.id in by_id)
    blocks = [
        Block(
            Content.assemble(
                (f"{answered} of {len(applicable)} questions answered", "bold"),
                ("  (q answers them one by one)", "$text-muted"),
            )
        )
    ]
    current = None
    for question in applicable:
        if question.dimension != current:
            current = question.dimension
            blocks += [Block(Content("")), Block(_heading(question.dimension.label))]
        answer = by_id.get(question.id)
        if answer is None:
            mark = Content.styled("not answered", "$text-warning")
        else:
            mark = Content.styled(answer.answer.label, ANSWER_STYLE[answer.answer.value])
        blocks.append(Block(Content.assemble("• ", question.wording), 0))
        detail = [mark]
        if answer is not None and answer.answered_on:
            detail.append(Content.styled(f" on {answer.answered_on.isoformat()}", "$text-muted"))
        if answer is not None and answer.answered_by:
            detail.append(Content.assemble((" by ", "$text-muted"), lit(answer.answered_by)))
        blocks.append(Block(Content.assemble(*detail), 4))
        if answer is not None and answer.evidence:
            blocks.append(Block(Content.assemble("evidence: ", lit(answer.evidence, "italic")), 4))
    return blocks


def questions_blocks(score: SupplierScore | None) -> list[Block]:
    """The supplier's board questions, grouped by principle 6's three key questions."""
    if score is None or not score.questions:
        return [Block(Content.styled("No board questions for this supplier.", "$text-muted"))]
    blocks: list[Block] = []
    for key in KeyQuestion:
        group = [q for q in score.questions if q.key_question == key]
        if not group:
            continue
        if blocks:
            blocks.append(Block(Content("")))
        blocks.append(Block(_heading(key.text)))
        for question in sorted(group, key=lambda q: -q.priority):
            blocks.append(Block(Content.assemble("• ", lit(question.text)), 2))
            blocks += [
                Block(lit(f"Recorded: {excerpt}", "italic $text-muted"), 4)
                for excerpt in question.evidence
            ]
    return blocks


class SupplierScreen(DataScreen):
    """Everything about one supplier, in tabs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the register", id="supplier.back"),
        Binding(
            "e", "edit_supplier", "Edit", tooltip="Edit this supplier", id="supplier.edit_supplier"
        ),
        Binding(
            "c",
            "add_contract",
            "Add contract",
            tooltip="Add a contract with this supplier",
            id="supplier.add_contract",
        ),
        Binding(
            "x",
            "delete_contract",
            "Delete contract",
            tooltip="Delete the highlighted contract",
            id="supplier.delete_contract",
        ),
        Binding(
            "q",
            "answer",
            "Answer",
            tooltip="Answer the questionnaire for this supplier",
            id="supplier.answer",
        ),
        Binding(
            "d",
            "delete_supplier",
            "Delete",
            tooltip="Delete this supplier",
            id="supplier.delete_supplier",
        ),
        Binding(
            "h",
            "history",
            "History",
            tooltip="Every change to this supplier",
            id="supplier.history",
        ),
        Binding(
            "m",
            "merge",
            "Merge",
            show=False,
            tooltip="Merge another supplier (a duplicate) into this one",
            id="supplier.merge",
        ),
        Binding(
            "n",
            "add_dependency",
            "Add dependency",
            show=False,
            tooltip="Record a supplier this one depends on",
            id="supplier.add_dependency",
        ),
        Binding(
            "i,w",
            "impact",
            "Impact",
            key_display="i",
            tooltip="Impact: what stops if this supplier fails",
            id="supplier.impact",
        ),
        *(
            Binding(
                str(n),
                f"show_tab('{tab_id}')",
                f"Show {title.lower()}",
                show=False,
                id=f"supplier.tab_{tab_id}",
            )
            for n, (tab_id, title) in enumerate(TABS, start=1)
        ),
    ]

    app: SupplierRegisterApp

    def __init__(self, supplier_id: int) -> None:
        super().__init__()
        self.supplier_id = supplier_id
        self.view: SupplierView | None = None
        self.dependencies: SupplierDependencies | None = None
        """What the supplier depends on and who depends on it, as last read."""
        self.tabs_mounted = False
        """True once the tabs are mounted (after the first frame)."""
        self._pending_tab: str | None = None
        """A tab asked for (its number key) before the tabs were mounted, shown once they are."""
        """The supplier as last read and scored by the worker (``None`` until the first)."""

    def compose(self) -> ComposeResult:
        # The tabs are mounted after the first frame (see ``_mount_tabs``): that frame is
        # painted at once, with the supplier's name, whatever the size of the register.
        yield Header()
        waiting = "Reading the register…" if self.app.snapshot is None else ""
        yield Static(waiting, id="supplier-title")
        yield KeyFooter()

    @staticmethod
    def _tabs() -> TabbedContent:
        tabs = TabbedContent(id="supplier-tabs")
        for pane in (
            TabPane(f"1 {TABS[0][1]}", BlockView(id="overview-body"), id="overview"),
            TabPane(
                f"2 {TABS[1][1]}",
                Static("", id="contracts-empty"),
                ContractList(id="contract-list"),
                id="contracts",
            ),
            TabPane(f"3 {TABS[2][1]}", BlockView(id="score-body"), id="score"),
            TabPane(f"4 {TABS[3][1]}", BlockView(id="answers-body"), id="answers"),
            TabPane(f"5 {TABS[4][1]}", BlockView(id="questions-body"), id="questions"),
            TabPane(
                f"6 {TABS[5][1]}",
                Static(Content("Reading…"), id="dependencies-head"),
                DependencyList(id="dependency-list"),
                Static("", id="dependents-head"),
                Static("", id="dependents-body"),
                id="dependencies",
            ),
        ):
            tabs.compose_add_child(pane)  # as ``with TabbedContent():`` in compose does
        return tabs

    def on_mount(self) -> None:
        if self.app.snapshot is not None:
            self.show_snapshot(self.app.snapshot)
        self.call_after_refresh(self._mount_tabs)

    async def _mount_tabs(self) -> None:
        """After the first frame: mount the tabs, then read the supplier into them."""
        await self.mount(self._tabs(), after="#supplier-title")
        if self.focused is None:
            self.focus_next()  # what the screen's auto-focus would have chosen
        self.tabs_mounted = True
        if self._pending_tab is not None:
            self.action_show_tab(self._pending_tab)
            self._pending_tab = None
        if self.app.snapshot is not None:
            self.show_snapshot(self.app.snapshot)

    @property
    def supplier(self) -> SupplierRecord | None:
        snapshot = self.app.snapshot
        return snapshot.supplier(self.supplier_id) if snapshot else None

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Show the supplier's name at once, then read and score it in a worker."""
        supplier = snapshot.supplier(self.supplier_id)
        if supplier is None:
            # Deleted (here or elsewhere): nothing left to show.
            if self.app.screen is self:
                self.dismiss()
            return
        if not self.tabs_mounted:
            # The first frame: what the snapshot already holds, while the worker reads.
            overview = snapshot.overview_of(supplier)
            self.query_one("#supplier-title", Static).update(
                supplier_title(
                    supplier,
                    overview.band if overview else None,
                    overview.score if overview else None,
                    "  · reading…",
                )
            )
            return  # read once the tabs are mounted
        self._read(snapshot)
        self._read_dependencies(self.app.db_path)

    @work(thread=True, exclusive=True, group="supplier-view", exit_on_error=False)
    def _read(self, snapshot: Snapshot) -> None:
        self.post_message(
            SupplierViewRead(supplier_view(snapshot, self.supplier_id), get_current_worker())
        )

    @work(thread=True, exclusive=True, group="supplier-dependencies", exit_on_error=False)
    def _read_dependencies(self, db_path: Path) -> None:
        worker = get_current_worker()
        try:
            found = read_dependencies(db_path, self.supplier_id)
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(DependenciesRead(None, read_failure(exc, db_path), worker))
            return
        self.post_message(DependenciesRead(found, None, worker))

    def on_dependencies_read(self, message: DependenciesRead) -> None:
        if message.worker.is_cancelled:
            return  # a newer read is on its way
        head = self.query_one("#dependencies-head", Static)
        if message.dependencies is None:
            head.update(lit(f"The dependencies could not be read: {message.error}", "$text-error"))
            return
        self.show_dependencies(message.dependencies)

    def show_dependencies(self, dependencies: SupplierDependencies) -> None:
        """Fill the dependencies tab (called on the UI thread)."""
        self.dependencies = dependencies
        depends_on = dependencies.depends_on
        dependency_list = self.query_one(DependencyList)
        highlighted = dependency_list.highlighted_option_id
        dependency_list.clear_options()
        dependency_list.add_options(
            [Option(dependency_option(d), id=str(d.id)) for d in depends_on]
        )
        if depends_on:
            ids = [str(d.id) for d in depends_on]
            dependency_list.highlighted = ids.index(highlighted) if highlighted in ids else 0
        dependency_list.display = bool(depends_on)
        self.query_one("#dependencies-head", Static).update(
            Content.assemble(
                _heading("Depends on"),
                (
                    f"  {len(depends_on)} supplier{'s' if len(depends_on) != 1 else ''}"
                    " · ⏎ edit · n add · x delete"
                    if depends_on
                    else "  nothing recorded · n adds a supplier this one depends on"
                ),
            )
        )
        dependents = dependencies.dependents
        self.query_one("#dependents-head", Static).update(
            Content.assemble(
                "\n",
                _heading("Depended on by"),
                f"  {len(dependents)} supplier{'s' if len(dependents) != 1 else ''}"
                " (their services are at risk when this supplier fails)",
            )
        )
        self.query_one("#dependents-body", Static).update(dependents_content(dependents))

    def on_supplier_view_read(self, message: SupplierViewRead) -> None:
        if message.worker.is_cancelled:
            return  # a newer snapshot is being read
        view = message.view
        if view is None:
            if self.app.screen is self:
                self.dismiss()
            return
        self.view = view
        supplier, score = view.supplier, view.score
        title = supplier_title(
            supplier,
            score.band if score else None,
            score.score if score else None,
            "" if view.scores_current else "  · scoring…",
        )
        self.query_one("#supplier-title", Static).update(title)
        # Only the shown tab's page is built now; the others when their tab is shown.
        active = self.query_one(TabbedContent).active
        for pane_id, blocks in (
            (
                "overview",
                overview_blocks(supplier, score, view.today)
                + provenance_blocks(list(view.provenance)),
            ),
            ("score", score_blocks(score)),
            ("answers", answers_blocks(supplier, list(view.answers))),
            ("questions", questions_blocks(score)),
        ):
            self.query_one(f"#{pane_id}-body", BlockView).set_blocks(blocks, now=pane_id == active)
        self._show_contracts(view)
        self.refresh_bindings()

    def _show_contracts(self, view: SupplierView) -> None:
        contracts = view.contracts
        contract_list = self.query_one(ContractList)
        highlighted_id = contract_list.highlighted_option_id
        findings = view.score.findings if view.score else []
        contract_list.clear_options()
        options: list[Option | None] = []
        for contract in contracts:
            if options:
                options.append(None)
            about = [
                f
                for f in findings
                if f.contract is not None and f.contract.casefold() == contract.title.casefold()
            ]
            options.append(
                Option(contract_option(contract, about, view.today), id=str(contract.id))
            )
        contract_list.add_options(options)
        if contracts:
            index = next((i for i, c in enumerate(contracts) if str(c.id) == highlighted_id), 0)
            contract_list.highlighted = index
        empty = self.query_one("#contracts-empty", Static)
        counted = f"{len(contracts)} contract{'s' if len(contracts) != 1 else ''}"
        if self.app.read_only:  # no key here can change a contract
            empty.update(Content(counted if contracts else "No contracts recorded."))
            return
        empty.update(
            Content(
                "No contracts recorded. Press c to add one."
                if not contracts
                else f"{counted} · ⏎ edit · c add · x delete"
            )
        )

    # -------------------------------------------------------------- actions

    def action_back(self) -> None:
        self.dismiss()

    def action_show_tab(self, tab_id: str) -> None:
        """Show a tab and put the focus in it, so its keys work at once."""
        if not self.tabs_mounted:
            self._pending_tab = tab_id  # shown as soon as the tabs are there
            return
        self.query_one(TabbedContent).active = tab_id
        pane = self.query_one(f"#{tab_id}", TabPane)
        for page in pane.query(BlockView):
            page.show_pending()
        lists = {"contracts": ContractList, "dependencies": DependencyList}
        target = pane.query(lists[tab_id]).first() if tab_id in lists else None
        if target is not None and target.display:
            target.focus()
        elif tab_id != "dependencies":
            pane.query_one(BlockView).focus()

    def action_edit_supplier(self) -> None:
        from supplier_register.tui.screens.edit import edit_supplier

        edit_supplier(self.app, self.supplier_id)

    def action_delete_supplier(self) -> None:
        from supplier_register.tui.screens.edit import delete_supplier

        delete_supplier(self.app, self.supplier_id)

    def action_add_contract(self) -> None:
        from supplier_register.tui.screens.edit import add_contract

        add_contract(self.app, self.supplier_id)

    def _highlighted_contract(self) -> int | None:
        if not self.tabs_mounted:
            return None
        return self.query_one(ContractList).highlighted_record

    def action_delete_contract(self) -> None:
        from supplier_register.tui.screens.edit import delete_contract

        contract_id = self._highlighted_contract()
        if contract_id is None:
            self.notify("No contract to delete.", severity="warning")
            return
        delete_contract(self.app, contract_id)

    def action_add_dependency(self) -> None:
        from supplier_register.tui.screens.edit import add_dependency

        add_dependency(self.app, self.supplier_id)

    @on(OptionList.OptionSelected, "#dependency-list")
    def _dependency_chosen(self, event: OptionList.OptionSelected) -> None:
        from supplier_register.tui.screens.edit import edit_dependency

        if event.option.id is not None:
            edit_dependency(self.app, int(event.option.id))

    @on(OptionList.OptionSelected, "#contract-list")
    def _contract_chosen(self, event: OptionList.OptionSelected) -> None:
        from supplier_register.tui.screens.edit import edit_contract

        if event.option.id is not None:
            edit_contract(self.app, int(event.option.id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_contract":
            tabs = self.query(TabbedContent)
            return bool(tabs) and tabs.first().active == "contracts"
        return True

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        for page in event.pane.query(BlockView):
            page.show_pending()
        self.refresh_bindings()

    def action_history(self) -> None:
        from supplier_register.tui.screens.audit import AuditScreen

        supplier = self.supplier
        self.app.push_screen(
            AuditScreen(self.supplier_id, supplier.name if supplier is not None else None)
        )

    def action_merge(self) -> None:
        from supplier_register.tui.screens.merge import merge_into

        supplier = self.supplier
        merge_into(self.app, self.supplier_id, supplier.name if supplier is not None else "")

    def action_answer(self) -> None:
        from supplier_register.tui.screens.questionnaire import QuestionnaireScreen

        self.app.push_screen(QuestionnaireScreen(self.supplier_id))

    def action_impact(self) -> None:
        from supplier_register.tui.screens.impact import ImpactScreen

        supplier = self.supplier
        self.app.push_screen(
            ImpactScreen(self.supplier_id, supplier.name if supplier is not None else None)
        )
