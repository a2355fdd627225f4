"""Diversity within sessions: no value of an attribute dominates, enough values meet.

For S3 (sectors) and S4 (counties): per session, at most ``max_share`` percent
or ``max_seats`` attendees from one value, and at least ``min_distinct``
values, in every session with at least ``min_session_size`` attendees.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from seatalloc.compile import CompiledEvent, groups
from seatalloc.model.variables import Variables, said, session_ids


def add_diversity(data: CompiledEvent, model: cp_model.CpModel, v: Variables) -> None:
    """Add every diversity rule to every session it applies to."""
    for rule in data.rules.diversity:
        dim, max_share, max_seats = rule.dim, rule.max_share, rule.max_seats
        min_distinct, min_size = rule.min_distinct, rule.min_session_size
        arc_group = data.types.group[data.arcs.type, dim]
        attribute = data.groups.dims[dim]
        n_groups = len(data.groups.names[dim])
        held = data.fixed_seats
        held_total = held.per_session(len(data.sessions.seminar), persons=False)
        # held seats per (session, value), values -1 (missing) left out
        valued = held.group[:, dim] >= 0
        held_count = np.zeros((len(data.sessions.seminar), n_groups), dtype=np.int64)
        np.add.at(held_count, (held.session[valued], held.group[valued, dim]), held.seats[valued])
        for (s,), arcs in groups(data.arcs.session):
            where = f"{attribute} mix in {data.session_name(s)}"
            ids = session_ids(data, s) | {"attribute": attribute}
            total = v.seats(arcs) + int(held_total[s])
            if max_share >= 0:  # the seats there once, not once per value (21 counties: 21 times)
                seated = model.new_int_var(0, int(data.types.count[data.arcs.type[arcs]].sum()), f"size{s}")
                model.add(seated == v.seats(arcs))
                total = seated + int(held_total[s])
            applies = v.new_bool(f"big{s}")
            model.add(total >= min_size).only_enforce_if(applies)
            model.add(total <= min_size - 1).only_enforce_if(~applies)
            if held_total[s] >= min_size:  # the seats held there make it large (a sub-event's LP)
                model.add(applies == 1)
            room = int(data.sessions.capacity[s])
            tight = v.mode == "solve" and room >= min_size  # (where rules may be retracted: not)
            if tight:
                # Redundant for integers, these keep the rule in the LP relaxation, where the big-M
                # form of the guarded rows lets a fractional ``applies`` lift them: a session
                # fills its room only as far as ``applies`` ...
                model.add(total <= min_size - 1 + (room - min_size + 1) * applies)
            present = []
            values = set(np.unique(arc_group[arcs]).tolist()) | set(np.flatnonzero(held_count[s]).tolist())
            for g in sorted(values):
                if g < 0:
                    continue
                count = v.seats(arcs[arc_group[arcs] == g]) + int(held_count[s, g])
                if max_share >= 0:
                    # count / total <= max_share %, kept to 1/100 of a point.
                    ct = model.add(count * 10_000 <= round(max_share * 100) * total)
                    v.guard(
                        ct.only_enforce_if(applies),
                        said("mix", f"{where}: at most {max_share}% from one value", limit=max_share, **ids),
                    )
                    if tight:  # ... and the share is lifted by at most what a small session holds
                        share, small = round(max_share * 100), min_size - 1  # (count <= total there)
                        model.add(
                            count * 10_000 + (10_000 - share) * small * applies
                            <= share * total + (10_000 - share) * small
                        )
                if max_seats >= 0:
                    ct = model.add(count <= max_seats)
                    v.guard(
                        ct.only_enforce_if(applies),
                        said("mix", f"{where}: at most {max_seats} from one value", limit=max_seats, **ids),
                    )
                if min_distinct > 0:
                    here = v.new_bool(f"present{s}_{g}")
                    model.add(count >= here)
                    present.append(here)
            if min_distinct > 0:
                ct = model.add(cp_model.LinearExpr.sum(present) >= min_distinct)
                v.guard(
                    ct.only_enforce_if(applies),
                    said("mix", f"{where}: at least {min_distinct} values", limit=min_distinct, **ids),
                )
