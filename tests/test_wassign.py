"""wassign's end-to-end cases, read by benchmarks/wassign.py, give the outcomes its tests assert."""

from __future__ import annotations

import pytest

from benchmarks.wassign import DATA, Unsupported, outcome, parse
from seatalloc import Event, check, solve

CASES = DATA / "e2e_solutions"
pytestmark = pytest.mark.skipif(not CASES.exists(), reason="../shared/data is not beside the checkout")


def solved(name: str):
    event = Event.model_validate(parse((CASES / f"{name}.wassign").read_text(encoding="utf-8")))
    allocation = solve(event, work_limit=10)
    if allocation.status != "infeasible":
        assert allocation.status == "optimal"
        assert check(event, allocation).ok
        assert not allocation.unseated  # every chooser in every slot
    return event, allocation


@pytest.mark.parametrize(
    ("name", "schedule", "seats"),
    [
        ("minimal_instance_has_the_exact_expected_output", {"a": "s1", "b": "s2"}, {"p1": ("a", "b")}),
        ("forced_two_slot_instance", {"a": "s1", "b": "s2"}, {"p1": ("a", "b"), "p2": ("a", "b")}),
        (
            "optional_choice_can_be_left_unscheduled_in_the_optimal_solution",
            {"a": "s1", "b": "s2"},
            {"p1": ("a", "b"), "p2": ("a", "b")},
        ),
        (
            "optional_if_true_matches_optional_behavior",
            {"a": "s1", "b": "s2"},
            {"p1": ("a", "b"), "p2": ("a", "b")},
        ),
    ],
)
def test_exact_expected_outcomes(name, schedule, seats) -> None:
    event, allocation = solved(name)
    assert outcome(event, allocation) == (schedule, seats)


def test_unconstrained_multi_slot_has_the_optimum_or_its_mirror() -> None:
    event, allocation = solved("unconstrained_multi_slot_instance_still_has_a_unique_optimum")
    expected = [
        ({"a": "s1", "b": "s1", "c": "s2"}, {"p1": ("a", "c"), "p2": ("b", "c")}),
        ({"a": "s2", "b": "s2", "c": "s1"}, {"p1": ("c", "a"), "p2": ("c", "b")}),
    ]
    assert outcome(event, allocation) in expected


def test_any_mode_puts_a_and_b_in_different_slots_and_everyone_in_both() -> None:
    event, allocation = solved("any_mode_still_returns_a_valid_public_output_shape")
    schedule, seats = outcome(event, allocation)
    assert schedule["a"] != schedule["b"]
    assert all(sorted(choices) == ["a", "b"] for choices in seats.values())


@pytest.mark.parametrize(
    "name",
    [
        "infeasible_capacity_mismatch_produces_no_solution",
        "infeasible_constraint_system_produces_no_solution",
        "optional_if_false_keeps_the_choice_required",
    ],
)
def test_infeasible_cases(name) -> None:
    _, allocation = solved(name)
    assert allocation.status == "infeasible"
    assert allocation.conflicts


def test_a_multi_part_workshop_takes_two_consecutive_slots_with_the_same_people() -> None:
    # wassign's expected output: intro in s1, deep in s2 and s3 (two parts), outro in s4.
    event, allocation = solved("multipart_choice_instance_has_the_exact_expected_output")
    assert event.seminars[1].parts == 2 and allocation.solver is not None
    assert outcome(event, allocation) == (
        {"intro": "s1", "deep": ("s2", "s3"), "outro": "s4"},
        {"p1": ("intro", "deep", "deep", "outro"), "p2": ("intro", "deep", "deep", "outro")},
    )


def test_an_unknown_statement_is_refused_by_line() -> None:
    with pytest.raises(Unsupported, match="line 2: cannot read"):
        parse('+slot("s1");\nslot s2\n')
