"""Benchmark supplier-register at several register sizes and print one table per size.

Run by hand (never in CI), from the root of a checkout with the project installed:

    .venv/bin/python bench/run.py [--sizes 1000,10000,50000] [--repeats 5]

Synthetic registers (``supplier_register.interchange.synthetic``, seeded) are generated once and
cached, as JSON and as a database, under ``$TMPDIR/supplier-register-bench``.  Every
scenario runs in its own subprocess, so each has a cold heap and its own peak RSS;
inside it, every timed step is repeated and the table shows the median (and p95 for
keystrokes).  Baselines run in the same subprocess as what they are compared with
(a bare Textual app for first paint, a raw SQLite read for scoring), so a busy
machine slows both alike and the ratio stays meaningful.

See docs/performance.md for what each row measures and the latest figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scenarios  # noqa: E402  (bench/scenarios.py, next to this file)


@dataclass(frozen=True)
class Target:
    """A target from issue 8: a limit on the median, in seconds or as a ratio, or on RSS."""

    limit: float
    kind: str  # "seconds", "ratio" or "mb"

    def describe(self) -> str:
        if self.kind == "seconds":
            return f"<= {_fmt_seconds(self.limit)}"
        if self.kind == "ratio":
            return f"<= {self.limit:g}x"
        return f"<= {self.limit:g} MB"


@dataclass(frozen=True)
class Row:
    """One line of the table: a metric of a scenario, optionally compared with a baseline."""

    scenario: str
    metric: str
    label: str
    baseline: str | None = None
    """Metric of the same scenario this one is divided by (the ratio column)."""
    target: Target | None = None
    p95: bool = False


ROWS: tuple[Row, ...] = (
    Row("tui_first_paint", "bare", "bare Textual app, first paint"),
    Row("tui_first_paint", "first_frame", "TUI first frame (register still loading)", "bare"),
    Row(
        "tui_first_paint",
        "first_screen",
        "TUI first screen with current scores (scores kept)",
        "bare",
        Target(1.5, "ratio"),
    ),
    Row("tui_first_paint", "register_listed", "TUI whole register listed (scores kept)", "bare"),
    Row("tui_first_paint", "register_shown", "TUI whole register scored (scores kept)", "bare"),
    Row("tui_first_paint", "first_frame_cold", "TUI first frame (no scores kept)", "bare"),
    Row("tui_first_paint", "first_screen_cold", "TUI first screen scored (no scores kept)", "bare"),
    Row(
        "tui_first_paint",
        "register_listed_cold",
        "TUI whole register listed (no scores kept)",
        "bare",
    ),
    Row(
        "tui_first_paint",
        "register_shown_cold",
        "TUI whole register scored (no scores kept)",
        "bare",
    ),
    Row("tui_interact", "bare_key", "bare app Input keystroke -> repaint", p95=True),
    Row(
        "tui_interact",
        "filter",
        "filter keystroke -> repaint",
        "bare_key",
        Target(0.05, "seconds"),
        True,
    ),
    Row("tui_interact", "sort_score", "sort by score", p95=True),
    Row("tui_interact", "page_down", "page down", p95=True),
    Row(
        "tui_interact",
        "open_supplier_frame",
        "open supplier screen: first frame",
        None,
        Target(0.05, "seconds"),
        True,
    ),
    Row("tui_interact", "open_supplier", "open the supplier screen (filled)", p95=True),
    Row("read_and_score", "raw_read", "raw SQLite read of every row"),
    Row("read_and_score", "load", "Repository.load_register()", "raw_read"),
    Row("read_and_score", "score", "score_register() of the loaded register", "raw_read"),
    Row("read_and_score", "overview", "overview_register() (scores, no findings)", "raw_read"),
    Row("read_and_score", "load_score", "TUI snapshot: read + score + rows (cold)", "raw_read"),
    Row("score_db", "raw_read", "raw SQLite read (again, in the streamed scoring's process)"),
    Row(
        "score_db",
        "db_overview",
        "streamed scoring of the database, every supplier (cold)",
        "raw_read",
        Target(3, "ratio"),
    ),
    Row("score_db", "db_overview_warm", "the same, scores kept and current", "raw_read"),
    Row(
        "score_db", "db_overview_next_day", "the same, scores kept from the day before", "raw_read"
    ),
    Row("export_json", "json", "export JSON (CLI; no target: the whole register)"),
    Row("export_csv", "csv", "export CSV (CLI, scores kept)", None, Target(2, "seconds")),
    Row("export_csv", "csv_cold", "export CSV (CLI, no scores kept)"),
    Row("export_html", "html", "export HTML (CLI, scores kept)", None, Target(2, "seconds")),
    Row("export_html", "html_cold", "export HTML (CLI, no scores kept)"),
    Row("export_xlsx", "xlsx", "export XLSX (CLI, scores kept)", None, Target(2, "seconds")),
    Row("export_xlsx", "xlsx_cold", "export XLSX (CLI, no scores kept)"),
    Row("import_json", "import", "import the register from JSON (CLI, new db)"),
    Row(
        "import_ocds",
        "ocds_files",
        "import-ocds of 400 release files in one call (CLI, new db)",
        None,
        Target(10, "seconds"),
    ),
    Row("import_ocds", "ocds_files_register", "the same 400 files into this register (once)"),
    Row("impact", "raw_lookup", "raw SQLite read of one supplier, contracts, dependents"),
    Row(
        "impact",
        "impact_bottom",
        "impact of the supplier at the bottom of a 5-deep chain",
        "raw_lookup",
        Target(0.1, "seconds"),
    ),
    Row(
        "impact",
        "impact_host",
        "impact of the hosting provider (most dependents)",
        "raw_lookup",
        Target(0.1, "seconds"),
    ),
    Row("impact", "impact_cli", "impact of the chain's bottom (CLI, JSON)", "raw_lookup"),
    Row("impact", "raw_read", "raw SQLite read of every row (with services, dependencies)"),
    Row("impact", "concentration", "concentration of the whole register", "raw_read"),
    Row(
        "ics",
        "national",
        "ics: load 200 shared files x 250 suppliers and match",
        None,
        Target(1, "seconds"),
    ),
    Row("ics", "national_no_answers", "ics: the same 200 files without their answers"),
    Row("ics", "ics", "ics: load 10 shared files x 400 suppliers and match"),
    Row("ics", "national_cli", "ics --format json of the 200 files (CLI, to a file)"),
    Row(
        "ics",
        "tui_national",
        "ICS screen: open on 200 shared files x 250 suppliers, first paint with the table filled",
        None,
        Target(1, "seconds"),
    ),
)

SCENARIO_ORDER = (
    "read_and_score",
    "score_db",
    "tui_first_paint",
    "tui_interact",
    "export_json",
    "export_csv",
    "export_html",
    "export_xlsx",
    "import_json",
    "import_ocds",
    "impact",
    "ics",
)
ONCE_SCENARIOS = {"ics"}
"""Scenarios that do not depend on the register's size (the ICS view reads its own files):
run at the first size only."""
CONTINUITY_SCENARIOS = {"impact"}
"""Scenarios run on the register with services and dependencies (a dataset of its own)."""
RSS_TARGET = Target(300, "mb")
SEVERAL_APPS = {"tui_first_paint", "read_and_score"}
"""Scenarios that start many apps, or hold several whole-register representations at once, in
one process: their peak RSS says nothing about one app or one command."""
IMPORT_MAX_SUPPLIERS = 10_000
"""Import is timed up to this size: the issue asks for the 10k register, and 50k takes a minute."""


@dataclass
class Result:
    """What one scenario subprocess reported."""

    scenario: str
    metrics: dict[str, list[float]] = field(default_factory=dict)
    rss_mb: float | None = None
    skipped: str | None = None
    error: str | None = None
    wall: float = 0.0


def _fmt_seconds(value: float) -> str:
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (inclusive method; the maximum when there are few values)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def machine_description() -> str:
    """nproc, CPU model, Python and load: what the figures were taken on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = " · load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}) · Python {platform.python_version()} · "
        f"{platform.system()} {platform.release()}{load}"
    )


# ------------------------------------------------------------------ running


def run_scenario(
    name: str, size: int, data: scenarios.Dataset, repeats: int, workdir: Path, timeout: float
) -> Result:
    """Run one scenario in a fresh Python process and read back its JSON report."""
    out = workdir / f"{name}-{size}.json"
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(HERE / "scenarios.py"),
        name,
        "--db",
        str(data.db),
        "--json",
        str(data.json),
        "--suppliers",
        str(size),
        "--repeats",
        str(repeats),
        "--workdir",
        str(workdir),
        "--report",
        str(out),
    ]
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Result(name, error=f"timed out after {timeout:.0f} s")
    wall = time.perf_counter() - start
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        return Result(name, error=f"exit {proc.returncode}: " + " | ".join(tail), wall=wall)
    report: dict[str, Any] = json.loads(out.read_text())
    return Result(
        name,
        metrics={k: [float(x) for x in v] for k, v in report.get("metrics", {}).items()},
        rss_mb=report.get("rss_mb"),
        skipped=report.get("skipped"),
        wall=wall,
    )


# ----------------------------------------------------------------- printing


def _verdict(target: Target | None, value: float | None) -> str:
    if target is None or value is None:
        return ""
    return "ok" if value <= target.limit else "MISSED"


def render_table(size: int, data: scenarios.Dataset, results: dict[str, Result]) -> str:
    """One table for one register size."""
    header = ["measure", "median", "p95", "ratio", "target", "", "peak RSS"]
    lines: list[list[str]] = []
    notes: list[str] = []
    for row in ROWS:
        result = results.get(row.scenario)
        if result is None:
            continue
        rss = f"{result.rss_mb:.0f} MB" if result.rss_mb is not None else ""
        if row.scenario in SEVERAL_APPS:
            rss = "(n/a)"
        if result.error or result.skipped:
            note = f"{row.scenario}: {'FAILED ' if result.error else 'not measured: '}"
            note += result.error or result.skipped or ""
            if note not in notes:
                notes.append(note)
            continue
        values = result.metrics.get(row.metric)
        if not values:
            continue
        median = statistics.median(values)
        ratio_text, judged = "", median
        if row.baseline and result.metrics.get(row.baseline):
            ratio = median / statistics.median(result.metrics[row.baseline])
            ratio_text = f"{ratio:.2f}x"
            if row.target is not None and row.target.kind == "ratio":
                judged = ratio
        lines.append(
            [
                row.label,
                _fmt_seconds(median),
                _fmt_seconds(p95(values)) if row.p95 else "",
                ratio_text,
                row.target.describe() if row.target else "",
                _verdict(row.target, judged),
                rss,
            ]
        )
    peak = max(
        (
            r.rss_mb
            for name, r in results.items()
            if r.rss_mb is not None and name not in SEVERAL_APPS
        ),
        default=None,
    )
    if peak is not None:
        lines.append(
            [
                "peak RSS (largest single scenario)",
                "",
                "",
                "",
                RSS_TARGET.describe(),
                _verdict(RSS_TARGET, peak),
                f"{peak:.0f} MB",
            ]
        )
    widths = [max(len(header[i]), *(len(line[i]) for line in lines)) for i in range(len(header))]
    title = (
        f"{size:,} suppliers · {data.contracts:,} contracts · {data.answers:,} answers "
        f"(seed {data.seed}; medians of {data.repeats} runs)"
    )
    out = [title, ""]
    out.append("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    out.append("| " + " | ".join("-" * w for w in widths) + " |")
    for line in lines:
        cells = [
            c.rjust(w) if 0 < i < 4 or i == 6 else c.ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("| " + " | ".join(cells) + " |")
    out.extend(f"  {note}" for note in notes)
    return "\n".join(out)


def render_flatness(all_results: dict[int, dict[str, Result]]) -> str | None:
    """How the TUI figures move from the smallest to the largest size (they should stay flat)."""
    sizes = sorted(all_results)
    if len(sizes) < 2:
        return None
    low, high = sizes[0], sizes[-1]
    lines = [f"TUI figures, {high:,} suppliers against {low:,} (1.00x = flat):"]
    for row in ROWS:
        if not row.scenario.startswith("tui_"):
            continue
        a = all_results[low].get(row.scenario)
        b = all_results[high].get(row.scenario)
        if not a or not b or not a.metrics.get(row.metric) or not b.metrics.get(row.metric):
            continue
        ma, mb = statistics.median(a.metrics[row.metric]), statistics.median(b.metrics[row.metric])
        lines.append(f"  {row.label}: {_fmt_seconds(ma)} -> {_fmt_seconds(mb)} ({mb / ma:.2f}x)")
    return "\n".join(lines)


# --------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,50000",
        help="comma-separated numbers of suppliers (default: 1000,10000,50000)",
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="timed runs of each step (default 5)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic registers")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios to run (default all): " + ", ".join(SCENARIO_ORDER),
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "supplier-register-bench",
        help="where generated registers are kept between runs",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per scenario")
    parser.add_argument("--save", type=Path, help="also write every raw timing to this JSON file")
    parser.add_argument(
        "--report",
        type=Path,
        help="print the tables of a run saved with --save instead of running anything",
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes: expected numbers separated by commas, e.g. 1000,10000")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes: every size must be at least 1")
    if args.repeats < 1:
        parser.error("--repeats: must be at least 1")
    args.only = [s.strip() for s in args.only.split(",") if s.strip()] or list(SCENARIO_ORDER)
    unknown = sorted(set(args.only) - set(SCENARIO_ORDER))
    if unknown:
        parser.error(f"--only: unknown scenario(s) {', '.join(unknown)}")
    return args


def report_saved(path: Path, args: argparse.Namespace) -> int:
    """Print the tables of a saved run (datasets come from the cache, generated if missing)."""
    saved = json.loads(path.read_text())
    print(f"supplier-register benchmark · {saved['machine']}")
    all_results: dict[int, dict[str, Result]] = {}
    for size_text, scenarios_saved in saved["sizes"].items():
        size = int(size_text)
        data = scenarios.ensure_dataset(size, saved.get("seed", args.seed), args.cache_dir)
        data.repeats = saved.get("repeats", args.repeats)
        results = {
            name: Result(
                name,
                metrics=r["metrics"],
                rss_mb=r["rss_mb"],
                error=r["error"],
                skipped=r["skipped"],
            )
            for name, r in scenarios_saved.items()
        }
        all_results[size] = results
        print()
        print(render_table(size, data, results))
    flat = render_flatness(all_results)
    if flat:
        print()
        print(flat)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        return report_saved(args.report, args)
    print(f"supplier-register benchmark · {machine_description()}", flush=True)
    all_results: dict[int, dict[str, Result]] = {}
    saved: dict[str, Any] = {
        "machine": machine_description(),
        "seed": args.seed,
        "repeats": args.repeats,
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="supplier-register-bench-") as tmp:
        workdir = Path(tmp)
        for size in args.sizes:
            data = scenarios.ensure_dataset(size, args.seed, args.cache_dir, log=print)
            data.repeats = args.repeats
            results: dict[str, Result] = {}
            for name in SCENARIO_ORDER:
                if name not in args.only:
                    continue
                if name in ("import_json", "import_ocds") and size > IMPORT_MAX_SUPPLIERS:
                    continue
                if name in ONCE_SCENARIOS and size != args.sizes[0]:
                    continue
                dataset = data
                if name in CONTINUITY_SCENARIOS:
                    dataset = scenarios.ensure_dataset(
                        size, args.seed, args.cache_dir, log=print, continuity=True
                    )
                print(f"  {size:,}: {name} ...", end="", flush=True)
                result = run_scenario(name, size, dataset, args.repeats, workdir, args.timeout)
                status = result.error or result.skipped or "done"
                print(f" {status} ({result.wall:.1f} s)", flush=True)
                results[name] = result
            all_results[size] = results
            print()
            print(render_table(size, data, results))
            print(flush=True)
            saved["sizes"][str(size)] = {
                name: {
                    "metrics": r.metrics,
                    "rss_mb": r.rss_mb,
                    "error": r.error,
                    "skipped": r.skipped,
                }
                for name, r in results.items()
            }
    flat = render_flatness(all_results)
    if flat:
        print(flat)
    if args.save:
        args.save.write_text(json.dumps(saved, indent=2) + "\n")
    failed = [
        f"{size}/{name}"
        for size, results in all_results.items()
        for name, r in results.items()
        if r.error
    ]
    if failed:
        print(f"scenarios that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
