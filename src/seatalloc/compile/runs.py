"""Runs: split types by the runs of seminars in parts their members sit in.

A seminar with ``parts`` runs over consecutive passes with the same people. Counts per type cannot
say which members sit in a run, so each type that may join a run is split into *sub-types*, one
per *plan*: a set of runs it sits in whole (passes apart, seminars distinct), the empty plan
included. A sub-type's members sit in every part of its plan's runs (``Types.runs``, a rule of
the model) and in no other part of any run; in the other passes they may sit in sessions of one
part. The model decides how many members follow each plan; the hand-out gives every member of a
sub-type its runs whole (a part is a row of its own, which every member's pattern covers).

With venue itineraries the types are split by venue already; those who may join a run are then
types of one member instead (``compile.types``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from seatalloc.compile.data import CompiledEvent, IntArray
from seatalloc.errors import SeatallocError

#: The most plans a type may have (sets of runs it may sit in together).
MAX_PLANS = 4096


def expand_runs(data: CompiledEvent) -> CompiledEvent:
    """Return ``data`` with types split by plan (unchanged without seminars in parts)."""
    prior = data.sessions.prior
    if not (prior >= 0).any() or data.itineraries:
        return data
    after = {int(b): s for s, b in enumerate(prior.tolist()) if b >= 0}
    runs: list[tuple[int, ...]] = []
    for s in np.flatnonzero(data.sessions.part == 0).tolist():
        chain = [s]
        while chain[-1] in after:
            chain.append(after[chain[-1]])
        if len(chain) > 1:
            runs.append(tuple(chain))
    in_run = np.zeros(len(prior), dtype=bool)
    in_run[[s for run in runs for s in run]] = True
    arcs = data.arcs
    order = np.argsort(arcs.type, kind="stable")
    bounds = np.searchsorted(arcs.type[order], np.arange(data.n_types + 1))
    arc_pass = data.sessions.pass_[arcs.session]
    parents: list[int] = []
    plans: list[tuple[int, ...]] = []
    arcs_of: list[IntArray] = []
    for t in range(data.n_types):
        mine = order[bounds[t] : bounds[t + 1]]
        here = set(arcs.session[mine].tolist())
        options = [run for run in runs if set(run) <= here]
        for plan in _plans(data, options) if options else [()]:
            covered = set(data.sessions.pass_[list(plan)].tolist())
            inside = np.isin(arcs.session[mine], plan)
            keep = inside | (~in_run[arcs.session[mine]] & ~np.isin(arc_pass[mine], list(covered)))
            parents.append(t)
            plans.append(plan)
            arcs_of.append(mine[keep])
    if len(parents) == data.n_types:
        return data
    parent = np.asarray(parents, dtype=np.int64)
    types = replace(data.types.take(parent), parent=parent, runs=tuple(plans))
    return replace(data, types=types, arcs=arcs.regroup(arcs_of))


def _plans(data: CompiledEvent, runs: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Every set of ``runs`` in passes apart and of distinct seminars (the empty one first), as
    the sessions they hold."""
    passes = [frozenset(data.sessions.pass_[list(run)].tolist()) for run in runs]
    seminar = [int(data.sessions.seminar[run[0]]) for run in runs]
    out: list[tuple[int, ...]] = []

    def grow(start: int, chosen: list[int], used: frozenset[int], seminars: frozenset[int]) -> None:
        out.append(tuple(s for r in chosen for s in runs[r]))
        if len(out) > MAX_PLANS:
            raise SeatallocError(f"more than {MAX_PLANS} ways to sit in the runs of seminars in parts")
        for r in range(start, len(runs)):
            if not passes[r] & used and seminar[r] not in seminars:
                grow(r + 1, [*chosen, r], used | passes[r], seminars | {seminar[r]})

    grow(0, [], frozenset(), frozenset())
    return out
