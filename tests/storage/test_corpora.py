"""Reduced runs of the injection-corpus and audit-coverage scripts, with negative controls."""

from __future__ import annotations

import pytest

from tests.support.scripts import load_script

corpus = load_script("injection_corpus")
coverage = load_script("audit_coverage")


@pytest.mark.slow
def test_injection_corpus_literal_everywhere_no_formula_no_script() -> None:
    figures = corpus.run()
    assert figures.missing == []
    assert figures.literal_shown == figures.literal_checks > 100
    assert figures.markup_errors == figures.other_exceptions == 0
    assert figures.cells_checked > 1000 and figures.formula_cells == 0
    assert figures.html_files == 2 and figures.live_script_tags == 0


def test_the_html_check_finds_live_script() -> None:
    html = '<td>ok</td><td><script>x</script><img src=x onerror="a()"><a href="javascript:x">'
    assert len(corpus.live_html(html)) == 3
    assert corpus.live_html("<td>&lt;script&gt; ' onmouseover='x</td>") == []


def test_audit_coverage_is_complete() -> None:
    result = coverage.run(250, seed=5)
    assert result.row_changes > 100 and result.raw_sql_changes > 0
    assert result.recorded == result.row_changes
    assert result.unrecorded == result.wrong_values == result.spurious_entries == 0
    assert result.replay_ok


def test_audit_coverage_notices_a_missing_trigger() -> None:
    result = coverage.run(150, seed=5, control=True)
    assert result.unrecorded > 0 and not result.replay_ok
