"""The certificate: prices the checker turns into a bound on its own, never above the optimum."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from seatalloc import Event, SolveOptions, check, solve
from seatalloc.check import certificate as certificate_module
from seatalloc.check.certificate import certify
from seatalloc.schema.allocation import Certificate, LimitPrice, MixPrice, QuotaPrice, SessionPrice
from seatalloc.solve import guards
from seatalloc.solve.guards import verified
from strategies import events, written_families_only


def _event(**extra: object) -> Event:
    """Two passes, one room of 1 seat per session; three attendees who all want A first."""
    return Event.model_validate(
        {
            "passes": [{"id": "P1"}, {"id": "P2"}],
            "rooms": [{"id": "r", "capacity": 1}],
            "seminars": [{"id": "A"}, {"id": "B"}],
            "sessions": [
                {"seminar": "A", "pass": "P1", "room": "r"},
                {"seminar": "B", "pass": "P2", "room": "r"},
            ],
            "attendees": [
                {"id": "x", "choices": ["A", "B"], "organisation": "o"},
                {"id": "y", "choices": ["A", "B"], "organisation": "o"},
                {"id": "z", "choices": ["B", "A"]},
            ],
            "organisations": [{"id": "o"}],
            "objective": {"rank_costs": [0, 1], "unseated_cost": 10},
            **extra,
        }
    )


def test_zero_prices_prove_each_attendee_s_cheapest_itinerary() -> None:
    # without prices everyone takes both seminars: x and y cost 0 + 1, z costs 1 + 0
    assert certify(_event(), Certificate(bound=0)) == (3, [])


def test_a_session_s_price_is_paid_by_everyone_seated_there_and_once_for_its_capacity() -> None:
    # A at 4 a seat: x and y would pay 0 + 4 - 10 < 0 still (take it), z pays 1 + 4: still below 10
    # each keeps both seats: 3 + 3 x 4 - 4 x 1 = 11; at 9, A is worth (cost - 10 + 9 =) -1 or 0:
    # x, y: -1 from A, -9 from B -> 20 - 10 = 10 each; z: -10 (B) + 0 (A at -10+1+9) = 10: 30 - 9 = 21
    four = Certificate(bound=0, sessions=(SessionPrice(seminar="A", pass_="P1", room="r", price=4),))
    assert certify(_event(), four)[0] == 11
    nine = Certificate(bound=0, sessions=(SessionPrice(seminar="A", pass_="P1", room="r", price=9),))
    assert certify(_event(), nine)[0] == 21


def test_a_quota_s_price_is_paid_by_its_organisation_only() -> None:
    event = _event(quotas=[{"organisation": "o", "max_per_session": 1}])
    quota = Certificate(bound=0, quotas=(QuotaPrice(quota=0, seminar="A", pass_="P1", room="r", price=9),))
    # x and y: A at 0 - 10 + 9 = -1 (taken), B at -9: 10 each; z unpriced: 1; less 9 x 1
    assert certify(event, quota)[0] == 10 + 10 + 1 - 9


def test_a_shared_limit_s_price_is_paid_in_each_of_its_seminars() -> None:
    event = _event(shared_limits=[{"seminars": ["A", "B"], "max_seats": 1}])
    limit = Certificate(bound=0, shared_limits=(LimitPrice(limit=0, price=9.5),))
    # every seat costs 9.5 more: x, y: A -0.5, B 1 - 10 + 9.5 = 0.5 (not taken): 19.5 each;
    # z: B -0.5, A 0.5: 19.5; less 9.5 x 1
    assert certify(event, limit)[0] == 49


def test_max_sessions_and_one_seminar_once_hold_in_the_itinerary() -> None:
    # A runs in both passes; y may take one session: the attendees cannot take A twice
    event = Event.model_validate(
        {
            "passes": [{"id": "P1"}, {"id": "P2"}],
            "rooms": [{"id": "r", "capacity": 5}],
            "seminars": [{"id": "A"}, {"id": "B"}],
            "sessions": [
                {"seminar": "A", "pass": "P1", "room": "r"},
                {"seminar": "A", "pass": "P2", "room": "r"},
            ],
            "attendees": [{"id": "x", "choices": ["A"]}, {"id": "y", "choices": ["A"], "max_sessions": 1}],
            "objective": {"rank_costs": [0], "unseated_cost": 10},
        }
    )
    # x: A once (0) and unseated once (10); y: A once, its second pass costs nothing
    assert certify(event, Certificate(bound=0))[0] == 10


def test_a_price_below_zero_or_on_a_rule_the_event_lacks_is_named() -> None:
    bad = Certificate(
        bound=0,
        sessions=(SessionPrice(seminar="A", pass_="P1", room="r", price=-1),),
        quotas=(QuotaPrice(quota=3, seminar="A", pass_="P1", room="r", price=1),),
        shared_limits=(LimitPrice(limit=0, price=1),),
    )
    value, problems = certify(_event(), bad)
    assert value is None
    assert any("session 'A' in pass 'P1'" in p and "-1" in p for p in problems)
    assert any("quota 3" in p for p in problems)
    assert any("shared limit 0" in p for p in problems)
    elsewhere = Certificate(bound=0, sessions=(SessionPrice(seminar="B", pass_="P1", room="r", price=1),))
    assert "not a session of the event" in certify(_event(), elsewhere)[1][0]


def test_prices_too_large_to_add_up_are_a_violation_not_a_traceback() -> None:
    huge = Certificate(
        bound=0,
        sessions=(
            SessionPrice(seminar="A", pass_="P1", room="r", price=1e308),
            SessionPrice(seminar="B", pass_="P2", room="r", price=1e308),
        ),
    )
    assert certify(_event(), huge) == (None, ["certificate: its prices are too large to add up to a bound"])


def test_a_stated_bound_above_what_the_prices_prove_is_a_violation() -> None:
    value, problems = certify(_event(), Certificate(bound=4))
    assert value == 3
    assert problems == ["certificate: its prices prove a bound of 3, not the 4 it states"]


def test_a_mix_s_price_is_paid_by_the_value_s_attendees_less_its_share_of_everyone() -> None:
    # at most half of a session from one value ("t"): x and y are "t", z is "u"
    event = _event(diversity=[{"attribute": "team", "max_share": 50}])
    event = event.model_copy(
        update={
            "attendees": tuple(
                a.model_copy(update={"attributes": {"team": "u" if a.id == "z" else "t"}})
                for a in event.attendees
            )
        }
    )
    mix = Certificate(
        bound=0, mixes=(MixPrice(rule=0, value="t", seminar="A", pass_="P1", room="r", price=6),)
    )
    # in A: x and y pay 6 x (1 - 0.5) = 3 (A at -7: taken), z gains 6 x 0.5 = 3 (A at 1 - 10 - 3);
    # x, y: -7 + -9 + 20 = 4 each; z: -12 + -10 + 20 = -2; the row's limit is 0 at min_session_size 1
    assert certify(event, mix)[0] == 4 + 4 - 2


def test_check_reports_the_certified_bound_of_an_allocation() -> None:
    allocation = solve(_event(), SolveOptions(method="cp-sat", work_limit=10))
    with_prices = allocation.model_copy(update={"certificate": Certificate(bound=3)})
    report = check(_event(), with_prices)
    assert report.ok and report.certified == 3
    wrong = allocation.model_copy(update={"certificate": Certificate(bound=allocation.objective + 1)})
    assert not check(_event(), wrong).ok
    # without the certificate's recomputation (the solver's guard on large events) it is not read
    unread = check(_event(), wrong, certificate=False)
    assert unread.ok and unread.certified is None


def test_the_solve_guard_rejects_a_bound_its_prices_do_not_prove_on_small_events(monkeypatch) -> None:
    allocation = solve(_event(), SolveOptions(method="cp-sat", work_limit=10))
    wrong = allocation.model_copy(update={"certificate": Certificate(bound=allocation.objective + 1)})
    assert verified(_event(), wrong, None).status == "unknown"
    monkeypatch.setattr(guards, "CERTIFIED_PLACES", 5)  # 3 attendees x 2 passes: left to the checker
    assert verified(_event(), wrong, None) is wrong


@st.composite
def _priced(draw: st.DrawFn, mixed: bool = False) -> tuple[Event, Certificate]:
    """A small event of every rule (rank costs) and prices drawn on its sessions, quotas, limits and
    mixes; ``mixed``: the rules the LP writes, with a mix of ``max_share`` on every attendee."""
    event = draw(events(max_attendees=4, max_passes=3))
    if mixed:
        share = {
            "max_share": draw(st.sampled_from([34, 50, 67])),
            "min_session_size": draw(st.integers(1, 3)),
        }
        event = written_families_only(event, share, draw(st.integers(2, 5)))
    assume(event.objective.kind == "rank-cost")
    price = st.sampled_from([0, 0.5, 1, 2, 3, 7, 40])
    sessions = tuple(
        SessionPrice(seminar=m, pass_=p, room=r, price=draw(price)) for m, p, r in event.candidate_sessions()
    )
    quotas = tuple(
        QuotaPrice(quota=i, seminar=m, pass_=p, room=r, price=draw(price))
        for i, q in enumerate(event.quotas)
        if q.max_per_session is not None
        for m, p, r in event.candidate_sessions()
        if q.seminar in (None, m) and q.pass_ in (None, p)
    )
    limits = tuple(LimitPrice(limit=i, price=draw(price)) for i in range(len(event.shared_limits)))
    mixes = tuple(
        MixPrice(rule=i, value=value, seminar=m, pass_=p, room=r, price=draw(price))
        for i, rule in enumerate(event.diversity)
        if rule.max_share is not None
        for value in sorted({str(a.group(rule.attribute)) for a in event.attendees} - {"None"})
        for m, p, r in event.candidate_sessions()
    )
    return event, Certificate(bound=0, sessions=sessions, quotas=quotas, shared_limits=limits, mixes=mixes)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(_priced())
def test_no_prices_prove_more_than_the_optimum(priced: tuple[Event, Certificate]) -> None:
    event, certificate = priced
    optimum = solve(event, SolveOptions(method="cp-sat", work_limit=200))
    assume(optimum.status == "optimal")
    value, problems = certify(event, certificate)
    assert problems == []
    assert value is not None and value <= check(event, optimum).objective


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(_priced())
def test_trying_every_combination_finds_what_the_assignment_finds(priced: tuple[Event, Certificate]) -> None:
    # up to three passes the checker tries every itinerary in plain Python instead of SciPy's assignment
    event, certificate = priced
    tried = certify(event, certificate)
    enumerated = certificate_module.ENUMERATED
    certificate_module.ENUMERATED = 0
    try:
        assigned = certify(event, certificate)
    finally:
        certificate_module.ENUMERATED = enumerated
    assert tried[1] == assigned[1] == []
    assert tried[0] == assigned[0]
