"""The large-neighbourhood method's search (the package's docstring says how it works)."""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np

from seatalloc.compile import CompiledEvent
from seatalloc.compile.relax import plain_relaxation
from seatalloc.compile.restrict import free_arcs, restrict, whole
from seatalloc.schema.allocation import StageResult
from seatalloc.solve import memory
from seatalloc.solve.budget import Budget, OutOfTime, Stop, said
from seatalloc.solve.certificate import Priced, session_priced, stronger
from seatalloc.solve.itinerary import prepare
from seatalloc.solve.methods import NotApplicable, Outcome, get_method
from seatalloc.solve.methods.families import unsupported
from seatalloc.solve.methods.lns.bound import Beside, LpSolution, choice_bound, lp_bound, simplex_share
from seatalloc.solve.methods.lns.highs import HIGHS_ARCS, Worker
from seatalloc.solve.methods.lns.moves import move_run
from seatalloc.solve.methods.lns.neighbourhoods import Chooser, Neighbourhood, first_pass
from seatalloc.solve.methods.lns.passes import applies as by_passes
from seatalloc.solve.methods.lns.passes import reseat_passes
from seatalloc.solve.methods.lns.plan import fixed_plan_relaxation, greedy_plan, movable_plan, sampled_plan
from seatalloc.solve.methods.lns.shed import (
    Layout,
    admissible,
    fillable,
    rounded,
    shed_and_seat,
    sheddable,
)
from seatalloc.solve.methods.lns.state import Incumbent
from seatalloc.solve.methods.lns.subsolve import solve_sub
from seatalloc.solve.methods.lns.violations import broken, short_types
from seatalloc.solve.options import SolveOptions

#: Arcs per sub-event at first, and the range it adapts in.
START_ARCS, LEAST_ARCS, MOST_ARCS = 600, 200, 20_000
#: Arcs per batch of the first pass (larger than an improving sub-event: fewer batches, and each
#: sees more of the event when it plans; 600 left 300 wassign attendees without an allocation in 10 s).
FIRST_ARCS = 2_500
#: ... and more on a larger model, so that the first pass takes at most about this many batches.
FIRST_BATCHES = 100
#: Work units one sub-event may take (a fraction of what is left when little is).
STEP_WORK = 0.05
#: The share of the budget the flow method may take for the start; on a model of more than
#: :data:`LARGE_ARCS` arcs, where its first allocation takes longer, :data:`LARGE_START_SHARE`
#: (12 s of 120 gave seats on 1.2 million arcs, 6 s none). Beyond :data:`LARGE_ARCS` PDLP is left out
#: of the search itself (on 1.2 million arcs its LP takes 17 s to build and 45 s for 470 iterations);
#: it runs beside the search when there is a time limit.
START_SHARE, LARGE_START_SHARE, LARGE_ARCS = 0.05, 0.15, 500_000
#: ... and on a plain event (the flow method's own: its allocation is the event's, and may be
#: proven optimal) beyond :data:`PLAIN_ARCS` arcs, which ``auto`` sends here for the greedy first
#: allocation (a catalogue of 1,000,000 unique attendees on 24 million arcs: the flow method's
#: bound and proven optimum come after 2-3 minutes, none in 90 s; a sparse one of 100,000 on 1.2
#: million arcs ended 6 % above its bound with this share, 0.6 % with the flow method first).
PLAIN_START_SHARE, PLAIN_ARCS = 0.6, 5_000_000
#: The share of the budget a planned event's first plan, from a sample, may take.
PLAN_SHARE = 0.2
#: The share of the budget the passes re-seated by flows may take after the start, and of what is
#: left that runs of a planned event moved to other passes may take.
PASSES_SHARE, REPLAN_SHARE = 0.3, 0.9
#: Moves whatever they cost that kick the best plan out of a local optimum, and kicks in a row
#: without a better plan before moving runs ends.
KICK_MOVES, REPLAN_KICKS = 3, 20
#: Arcs of the part of the types whose LP one sweep step solves (on models beyond
#: :data:`~.highs.HIGHS_ARCS`), and the share of the budget left that the sweep may take.
SWEEP_ARCS, SWEEP_SHARE = 25_000, 0.95
#: Parts in a row whose rounded LP gains nothing before the sweep stops.
SWEEP_PATIENCE = 2
#: The share of the budget left after the first allocation that the LP bound may take: on a model
#: HiGHS solves to a vertex (the allocation rounded from it is the search's best step),
#: :data:`VERTEX_SHARE`; on a larger one PDLP's, before the sweep (in turn with a work limit; with
#: a time limit it runs beside the search, :data:`BESIDE_SHARE`).
BOUND_SHARE, VERTEX_SHARE = 0.25, 0.8
#: The share of the seconds left that the LP bound computed beside the search may take (on models
#: beyond one vertex, with a time limit and no work limit); on a model whose LP goes to HiGHS
#: first (:func:`~.bound.simplex_share`), whose vertex rounded is an allocation near the optimum,
#: :data:`SIMPLEX_BESIDE_SHARE`, so that starting the interpreter, building the LP and starting
#: HiGHS leave it time in a 10 s limit (on the drawn family, docs/benchmarks.md).
BESIDE_SHARE, SIMPLEX_BESIDE_SHARE = 0.6, 0.85
#: Peak memory of the LP bound per arc of the type model (the model, read back, and PDLP: 1.55 KB
#: measured on 1.2 million arcs).
LP_BYTES_PER_ARC = 2_000
#: Peak memory of the search itself per arc of the type model, beyond the compiled event (no LP:
#: 260 bytes measured on 1.2 million arcs, 4.3 GB in all on 12 million with the event).
SEARCH_BYTES_PER_ARC = 400
#: Sessions with broken rules that one repairing sub-event frees the types around, and the work
#: it may take (it frees everyone seated there: more than an improving one).
REPAIR_SESSIONS, REPAIR_WORK = 1, 0.2
#: Types not yet solved that one repairing sub-event tries again.
REPAIR_TYPES = 8
#: Sub-events that improve nothing in a row before the search stops when it cannot do better.
PATIENCE = 200


class Lns:
    """Large-neighbourhood search over sub-events of the type model, with the LP bound."""

    name = "lns"

    def supports(self, data: CompiledEvent, options: SolveOptions) -> str | None:
        why = unsupported(data, self.name)
        if why is not None:
            return why
        arcs = len(data.arcs.type)
        need = SEARCH_BYTES_PER_ARC * arcs
        have = memory.available_bytes()
        if have is not None and need > have:
            fits = have // SEARCH_BYTES_PER_ARC
            people = int((data.types.count * data.types.size).sum())
            return (
                f"its search over {arcs:,} arcs ({people:,} attendees) would need about "
                f"{need / 1e9:.1f} GB of memory, and {have / 1e9:.1f} GB is available: about "
                f"{fits:,} arcs (some {fits * people // max(1, arcs):,} attendees like these) would fit"
            )
        return None

    def run(self, data: CompiledEvent, options: SolveOptions, budget: Budget) -> Outcome:
        started = time.perf_counter()
        prepare(data, budget)  # (the certificate's itineraries)
        search = _Search(data, options, budget)
        try:
            search.bound_beside()
            for step in (
                search.start,
                search.repair,
                search.passes,
                search.replan,
                search.from_lp,
                search.sweep,
                search.improve,
            ):
                step()
                search.tell()
                if search.optimal():
                    break  # (the flow method's seats may meet their bound: a plain event)
        except OutOfTime:
            pass
        except KeyboardInterrupt:  # Ctrl-C between two CP-SAT runs: keep the best allocation so far
            search.stop = "interrupted"
        finally:
            search.highs.close()
            search.collect(wait=0.0, last=True)  # a bound that came meanwhile still counts
        return search.outcome(time.perf_counter() - started)


class _Search:
    def __init__(self, data: CompiledEvent, options: SolveOptions, budget: Budget):
        self.data, self.options, self.budget = data, options, budget
        self.rng = np.random.default_rng(options.seed)
        self.state = Incumbent.empty(data)
        self.broken, self.bad = broken(data, self.state)
        self.soft = bool(data.sessions.minimum.any())
        self.arcs = START_ARCS
        self.bound: int | None = None
        self.prices: Priced | None = None  # the prices that prove the most by themselves (a certificate)
        self.first: float | None = None
        self.valid = False
        self.stop: Stop | None = None
        self.note: str | None = None
        self.lp_note: str | None = None  # why the LP bound is missing: said unless proven anyway
        self.chooser = Chooser(data, self.rng)
        self.proven = False  # the last sub-event was solved exactly
        self.whole = False  # a sub-event of every type was: the allocation is optimal
        self.highs = Worker()  # HiGHS's interpreter, kept for the LPs of the sweep
        self.beside: Beside | None = None  # the LP bound computed beside the search
        self.layout = Layout(data)  # the arcs by type and session, for shedding and rounding
        self.told: tuple[int, int] | None = None  # the cost and bound progress last heard of

    def tell(self) -> None:
        """Tell the options' ``progress`` of a better allocation or bound since it last heard."""
        progress = self.options.progress
        if progress is None or not self.valid:
            return
        told = (self.state.cost(self.data), self.bound if self.bound is not None else 0)
        if told != self.told:
            self.told = told
            cost, bound = told
            progress("rank cost", time.perf_counter() - self.budget.started, cost, min(bound, cost))

    def _step(self, free: np.ndarray, *, plan: bool, relax: bool = False, work: float = STEP_WORK) -> bool:
        """Solve one sub-event; take its seats when they break less, or as little and are no worse."""
        if len(free) == 0 and not plan:
            self.budget.spend(STEP_WORK)  # nothing to solve: count it, so a search of nothing ends
            return False
        left = self.budget.work_left()
        work = min(work, max(0.01, left / 20)) if np.isfinite(left) else work
        step = solve_sub(
            self.data,
            self.state,
            free,
            self.options,
            self.budget,
            plan=plan,
            relax=relax,
            soft=self.soft and not relax,
            work=work,
        )
        if step.interrupted:
            self.stop = "interrupted"
            raise OutOfTime("interrupted")
        self.proven = step.proven
        if step.proven:
            self.arcs = min(MOST_ARCS, int(self.arcs * 1.25))
        elif step.found is None or self.arcs > LEAST_ARCS:
            self.arcs = max(LEAST_ARCS, int(self.arcs * 0.7))
        if step.found is None:
            return False
        total, bad = broken(self.data, step.found)
        if self.valid and total:  # never: every rule is in the sub-event; kept out all the same
            return False
        first_pass = not step.found.visited.all() or not self.state.visited.all()
        if not first_pass and (
            total > self.broken
            or (total == self.broken and step.found.key(self.data) > self.state.key(self.data))
        ):
            return False
        self.state, self.broken, self.bad = step.found, total, bad
        if not self.valid and self.broken == 0 and self.state.visited.all() and self.state.open is not None:
            self.valid, self.soft, self.first = True, False, time.perf_counter()
        return True

    def start(self) -> None:
        """Start from everyone seated greedily (on a large model; a planned event with a plan built
        greedily), then the flow method's allocation of the plain relaxation when better (for a
        planned event without a valid greedy start, with a plan from a sample fixed), or build
        one in batches."""
        data = self.data
        # Types with required seminars wait for the repair (the flow method knows no such rule).
        required = np.array([bool(r) for r in data.types.required], dtype=bool)
        part = whole(data, np.flatnonzero(~required))
        sub = data
        if len(part) < data.n_types:
            sub = restrict(data, part, self.state.seats, self.state.admitted, self.state.open)
        plain: CompiledEvent | None = plain_relaxation(sub)
        plan = self.state.open
        if data.planned:
            quick = greedy_plan(data, self.rng)
            if quick is not None:  # a first allocation before CP-SAT is loaded
                self._seat_greedily(quick)
        elif plan is not None:
            self._seat_greedily(plan)
        self.bound = choice_bound(data)  # (after the first allocation: 2 s on 12 million arcs)
        if data.planned:
            if not self.valid:
                empty = Incumbent.empty(data)
                plan = sampled_plan(data, empty, self.rng, self.options, self.budget.share(PLAN_SHARE))
                if plan is not None:
                    self._seat_greedily(plan)
            if self.valid:
                return  # (the flow method's seats, shed, were never better: the passes re-seat by flows)
            plain = None if plan is None else fixed_plan_relaxation(sub, plan)
        if plain is not None and self._from_flow(plain, part, plan, proves=not data.planned and sub is data):
            return
        if self.valid:  # seated greedily, and the flow method had nothing better
            return
        self.state.open = plan  # (None: the batches plan)
        size = max(FIRST_ARCS, len(self.data.arcs.type) // FIRST_BATCHES)
        for batch in first_pass(self.data, self.rng, size):
            pending = [batch]
            while pending:
                self.budget.check()
                part = pending.pop()
                if not self._step(part, plan=self.state.open is None) and len(part) > 1:
                    # nothing in time: its halves, each with whole parties (a party's rule holds
                    # only among its free types), when they are smaller (else it waits for repair)
                    half = len(part) // 2
                    halves = [whole(self.data, part[half:]), whole(self.data, part[:half])]
                    if all(len(h) < len(part) for h in halves):
                        pending += halves

    def _from_flow(
        self, relaxed: CompiledEvent, part: np.ndarray, plan: np.ndarray | None, *, proves: bool
    ) -> bool:
        """Take the flow method's seats of ``relaxed``, the types ``part`` under ``plan`` (and its
        bound, when it ``proves`` one for the event), made valid where shedding can, when better
        than the allocation so far; return whether the flow method had seats."""
        flow = get_method("flow", self.budget)
        if flow.supports(relaxed, self.options) is not None:
            return False
        share = START_SHARE
        if len(self.data.arcs.type) > LARGE_ARCS:
            plain = unsupported(self.data, flow.name) is None and len(self.data.arcs.type) > PLAIN_ARCS
            share = PLAIN_START_SHARE if plain else LARGE_START_SHARE
        try:
            quiet = replace(self.options, progress=None)  # its seats break rules: not an allocation yet
            out = flow.run(relaxed, quiet, self.budget.share(share))
        except NotApplicable:
            return False
        if out.seats is None:
            return False
        if proves and out.bound is not None:
            self.bound = max(self.bound or 0, out.bound)
            self.prices = stronger(self.prices, out.prices)  # (the relaxation's sessions are the event's)
        found = Incumbent.empty(self.data)
        found.seats[free_arcs(self.data, part)] = out.seats
        found.admitted = self.data.types.count.copy()
        found.open = np.ones(len(self.data.candidates.seminar), dtype=bool) if plan is None else plan.copy()
        found.visited[part] = True
        if sheddable(self.data):
            found = shed_and_seat(self.data, found, self.rng, self.budget.check, self.layout)
        found.visited &= ~short_types(self.data, found)  # the repair solves them again
        total, bad = broken(self.data, found)
        valid = total == 0 and found.visited.all()
        if not self.valid or (valid and found.key(self.data) < self.state.key(self.data)):
            self.state, self.broken, self.bad = found, total, bad
            if not self.valid and valid:
                self.valid, self.first = True, time.perf_counter()
        return True

    def _seat_greedily(self, plan: np.ndarray) -> None:
        """Take everyone seated under ``plan``, in a random order, in the cheapest sessions that
        break nothing, minimums filled by moves, when valid and better than the allocation so
        far: a first allocation before the flow method's or the batches' on a model beyond one
        LP vertex or planned (3.3 s for 100,000 unique attendees with quotas, where the flow
        method's first seats came after 25 s); with admission, at any size, members admitted
        where they can be seated in every pass (the batches took 11 s on 10,000 unique attendees
        with reserves)."""
        data = self.data
        if data.itineraries:
            return
        if not admissible(data) and not sheddable(data):
            return
        state = Incumbent.empty(data)
        state.open = plan.copy()
        state.visited[:] = True
        if not data.admits:
            state.admitted = data.types.count.copy()
        state = shed_and_seat(data, state, self.rng, self.budget.check, self.layout)
        state.visited &= ~short_types(data, state)
        total, bad = broken(data, state)
        if total or not state.visited.all() or (self.valid and state.key(data) >= self.state.key(data)):
            return
        self.state, self.broken, self.bad = state, total, bad
        if not self.valid:
            self.valid, self.first = True, time.perf_counter()
        self.tell()

    def repair(self) -> None:
        """Solve sub-events around broken rules until nothing is broken."""
        while not self.valid:
            self.budget.check()
            unvisited = np.flatnonzero(~self.state.visited)
            if len(unvisited):  # types whose own rules could not be kept yet: again, a few at a time
                free = self.rng.choice(unvisited, size=min(len(unvisited), REPAIR_TYPES), replace=False)
                self._step(whole(self.data, np.sort(free)), plan=self.data.planned)
                continue
            sessions = np.flatnonzero(self.bad)
            if len(sessions):
                chosen = self.rng.choice(sessions, size=min(REPAIR_SESSIONS, len(sessions)), replace=False)
                free = self.chooser.around(self.state, chosen, self.arcs, MOST_ARCS)
            else:  # parity
                free = self.chooser.next(self.state, self.arcs).free
            self._step(free, plan=self.data.planned, relax=True, work=REPAIR_WORK)

    def passes(self) -> None:
        """Re-seat pass after pass by min-cost flows, where the seats of a pass are a flow; the
        rooms' prices of their last flows are a certificate where they prove more."""
        if self.valid and by_passes(self.data):
            rooms = np.zeros(len(self.data.sessions.seminar))
            budget = self.budget.share(PASSES_SHARE)
            self.state = reseat_passes(self.data, self.state, self.rng, budget, rooms)
            priced = (
                session_priced(self.data, rooms, self.budget)
                if self.data.objective_kind == "rank-cost"
                else None
            )
            if priced is not None and (self.prices is None or priced.bound > self.prices.bound):
                self.prices = priced
                self.bound = max(self.bound or 0, priced.bound)

    def replan(self) -> None:
        """Move runs of a planned event to other passes or rooms, one at a time, the passes they
        touch seated anew by flows, while moves gain; at a local optimum (a try without gain for
        each run in a row), the best plan kicked by a few moves whatever they cost, and moves
        again (an iterated local search), until :data:`REPLAN_KICKS` kicks in a row find nothing
        better."""
        data = self.data
        if not self.valid or not movable_plan(data) or not by_passes(data):
            return
        budget = self.budget.share(REPLAN_SHARE)
        current, idle, kicks = self.state, 0, 0
        while kicks <= REPLAN_KICKS and budget.stop() is None:
            moved = move_run(data, current, self.rng, budget)
            if moved is None:
                idle += 1
                budget.spend(STEP_WORK / 10)  # (a move not tried is counted: the loop ends)
            else:
                current, idle = moved, 0
                if current.key(data) < self.state.key(data):
                    self.state, kicks = current, 0
                    self.tell()
            if idle >= len(data.planning.run_options):
                current, idle, kicks = self.state, 0, kicks + 1
                for _ in range(KICK_MOVES):
                    current = move_run(data, current, self.rng, budget, worse=True) or current

    def sweep(self) -> None:
        """On a model too large for one LP vertex in time, the LP of a part of the types at a time,
        the others held, rounded: each part re-seated nearly optimally in one step."""
        data = self.data
        if not self.valid or data.planned or not fillable(data) or len(data.arcs.type) <= HIGHS_ARCS:
            return
        per_type = np.bincount(data.arcs.type, minlength=data.n_types)
        budget = self.budget.share(SWEEP_SHARE)
        idle = 0
        while idle < SWEEP_PATIENCE:  # rounds over every type, in a new order each time
            order = self.rng.permutation(data.n_types)
            ends = np.arange(SWEEP_ARCS, per_type.sum(), SWEEP_ARCS)
            for part in np.split(order, np.searchsorted(np.cumsum(per_type[order]), ends)):
                free = whole(data, np.sort(part))
                sub = restrict(data, free, self.state.seats, self.state.admitted, self.state.open)
                try:
                    lp = lp_bound(sub, budget, self.highs)
                except OutOfTime:
                    return
                if lp is None:
                    return
                values = np.zeros(len(data.arcs.type))
                values[free_arcs(data, free)] = lp.seats
                near = rounded(data, self.state, values, self.rng, types=free, layout=self.layout)
                if broken(data, near)[0] == 0 and near.key(data) < self.state.key(data):
                    self.state, idle = near, 0
                    self.tell()
                else:
                    idle += 1
                    if idle >= SWEEP_PATIENCE:  # rounding loses what the LP gains here (mixes)
                        return

    def _lp_fits(self, *, beside: bool) -> bool:
        """Whether the LP of the whole type model may be solved, ``beside`` the search or in it
        (else say why not)."""
        if len(self.data.arcs.type) > LARGE_ARCS and not beside:
            self.note = "no LP bound: PDLP does not converge in time on a model of this size"
            return False
        need = LP_BYTES_PER_ARC * len(self.data.arcs.type)
        have = memory.available_bytes()
        if have is not None and need > have:
            self.note = f"no LP bound: the type model would need about {need / 1e9:.1f} GB of memory"
            return False
        return True

    def _no_lp(self, when: str, lp: LpSolution | None) -> None:
        """Say so when the LP bound did not finish ``when`` (``lp``: what came of it, if anything):
        the stated gap may then be far above the true one."""
        if lp is not None and lp.solved:
            return
        lp_text = f"the LP of the type model ({len(self.data.arcs.type):,} arcs) did not finish {when}"
        if lp is not None and lp.bound > (self.bound or 0):
            said = (
                f"{lp_text}: the bound stated is its last iterate's or a Lagrangian bound's, which may be "
                "far below its optimum"
            )
        else:
            said = f"no LP bound: {lp_text}; the bound stated leaves out rules that couple attendees"
        tail = "so the gap may be much larger than the true one (a longer limit gives the LP time)"
        self.lp_note = self.lp_note or f"{said}, {tail}"

    def bound_beside(self) -> None:
        """On a model beyond one LP vertex, with a time limit and no work limit, start the LP bound
        in another interpreter, on the second core, while the search goes on."""
        budget = self.budget
        if len(self.data.arcs.type) <= HIGHS_ARCS or budget.work_limit is not None or self.data.planned:
            return  # (a planned event's LP is weak and slow: 2.2 GB beside for nothing on realistic5000)
        if not np.isfinite(budget.deadline) or not self._lp_fits(beside=True):
            return
        share = SIMPLEX_BESIDE_SHARE if simplex_share(self.data) else BESIDE_SHARE
        self.beside = Beside(self.data, share * budget.seconds_left(), math.inf)

    def collect(self, wait: float, *, last: bool = False) -> None:
        """Take the bound computed beside the search, waiting at most ``wait`` seconds for it (its
        vertex not rounded when it comes ``last``, after the search's time)."""
        if self.beside is None:
            return
        beside, self.beside = self.beside, None
        lp = beside.result(self.budget, wait)
        self._no_lp("in the time it had beside the search", lp)
        if lp is None:
            return
        self._take(lp, round_vertex=not last)

    def from_lp(self) -> None:
        """Take the LP bound when it is stronger, and its seats as a guide to where to search (when
        it was computed beside the search: once it has come)."""
        if self.beside is not None or not self._lp_fits(beside=False):
            return  # (a bound computed beside the search is collected when it comes)
        try:
            share = VERTEX_SHARE if len(self.data.arcs.type) <= HIGHS_ARCS else BOUND_SHARE
            lp = lp_bound(self.data, self.budget.share(share), self.highs)
        except OutOfTime:
            lp = None
        self._no_lp("in its share of the limit", lp)
        if lp is None:
            return
        self._take(lp, round_vertex=True)

    def _take(self, lp: LpSolution, *, round_vertex: bool) -> None:
        """Take the LP's bound when it is stronger, its seats as a guide to where to search, and
        (``round_vertex``) HiGHS's vertex rounded when that is a better allocation (PDLP's
        interior point rounds badly: 9 % above)."""
        self.bound = max(self.bound or 0, lp.bound)
        self.prices = stronger(self.prices, lp.prices)
        self.chooser.guide = lp.seats
        if round_vertex and lp.vertex and self.valid and fillable(self.data) and not self.data.planned:
            near = rounded(self.data, self.state, lp.seats, self.rng, layout=self.layout)
            if broken(self.data, near)[0] == 0 and near.key(self.data) < self.state.key(self.data):
                self.state = near

    def improve(self) -> None:
        exact = self.data.objective_kind == "rank-cost"
        idle = 0
        while len(self.data.arcs.type):  # without arcs there is nothing to change
            if exact and self.bound is not None and self.state.cost(self.data) <= self.bound:
                return
            self.budget.check()
            if self.beside is not None and self.beside.ready():
                self.collect(wait=0.0)
            before = self.state.key(self.data)
            neighbourhood = self.chooser.next(self.state, self.arcs)
            everything = len(neighbourhood.free) == self.data.n_types
            if everything and self.data.planned and not neighbourhood.plan:
                neighbourhood = Neighbourhood("everything", neighbourhood.free, plan=True)
            if self._step(neighbourhood.free, plan=neighbourhood.plan) and everything and self.proven:
                self.whole = True  # the whole event, solved exactly: optimal in every stage
                return
            self.tell()
            idle = 0 if self.state.key(self.data) < before else idle + 1
            if idle >= PATIENCE and self.budget.work_limit is None and not np.isfinite(self.budget.deadline):
                return  # no limit at all: stop when nothing improves any more

    def optimal(self) -> bool:
        """Whether the allocation is proven optimal: the whole event solved exactly, or the cost
        meeting the bound."""
        if not self.valid:
            return False
        cost_met = self.bound is not None and self.state.cost(self.data) <= self.bound
        return self.whole or (self.data.objective_kind == "rank-cost" and cost_met)

    def outcome(self, seconds: float) -> Outcome:
        stop = self.stop or self.budget.stop()
        if not self.valid:
            return Outcome(
                "unknown",
                "lns",
                stop=stop,
                note=f"{said(stop)} before the first allocation was complete",
                seconds=seconds,
            )
        cost = self.state.cost(self.data)
        proven = self.optimal()
        if self.whole:
            self.bound = cost
        bound = self.bound if self.bound is not None else 0
        stage = StageResult(
            name="rank cost", status="optimal" if proven else "feasible", value=cost, bound=min(bound, cost)
        )
        return Outcome(
            "optimal" if proven else "feasible",
            "lns",
            seats=self.state.seats,
            admitted=self.state.admitted,
            open=self.state.open,
            bound=min(bound, cost),
            stages=(stage,),
            stop=None if proven else stop,
            note=self.note or (None if proven else self.lp_note),
            seconds=seconds,
            first=self.first,
            prices=self.prices,
        )


METHOD = Lns()
