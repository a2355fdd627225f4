"""The price of fairness: every objective, within one budget for the whole comparison."""

from __future__ import annotations

from seatalloc import Event, SolveOptions, compare_objectives
from seatalloc.cli.main import main


def test_every_objective_shares_one_work_limit(s1_path) -> None:
    event = Event.from_json(s1_path)
    results = compare_objectives(event, SolveOptions(work_limit=8, seed=2))
    assert list(results) == ["rank-cost", "rank-maximal", "leximin", "organisation-parity", "value-leximin"]
    works = []
    for kind, allocation in results.items():
        assert allocation.solver is not None and allocation.solver.objective == kind
        assert allocation.solver.seed == 2 and allocation.solver.work_limit is not None
        assert allocation.solver.work_limit <= 8
        works.append(allocation.solver.work)
    assert sum(works) <= 8 * 1.05  # one limit for all, not one each
    assert results["rank-cost"].objective == 757 and results["rank-cost"].status == "optimal"


def test_the_command_compares_within_its_limits(s1_path, capsys) -> None:
    assert main(["compare-objectives", str(s1_path), "--work-limit", "8"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("objective") and len(table) == 6
    assert table[1].split()[:3] == ["rank-cost", "optimal", "757"]
