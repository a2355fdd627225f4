"""The large-neighbourhood method: an allocation early at any size, improved, with an LP bound.

For events whose type model is too large to solve exactly in the time given
(unique attendees with quotas, mixes, admission, planning). It never builds
more than a sub-event of the type model at a time: some types (and the plan,
when asked) free, the seats of the others held as constants in every rule
(``compile.restrict``), solved in CP-SAT with every rule family of
``seatalloc.model`` and the event's objective stages.

1. **Start**: on a model beyond one LP vertex (with admission, or a plan
   built greedily for a planned event: at any size), everyone seated
   greedily where nothing breaks (:func:`.shed.shed_and_seat` from no
   seats, pins and required seminars first, sessions below their minimum
   filled by moves; with admission, members admitted one at a time, each
   seated in every pass: the first allocation in seconds at any size).
   Where the flow method can solve the event's plain relaxation
   (``compile.relax``: the rules across attendees left out, the
   types with required seminars too; for a planned event whose greedy plan
   breaks a rule, with a plan from a sample fixed, :mod:`.plan`), its
   allocation, and its bound, which
   holds for the event too; seats over a limit are shed and people seated
   again where nothing breaks (:mod:`.shed`). Otherwise one pass over all
   types in batches from an empty allocation, every batch keeping every
   rule (minimum attendance, which an early batch cannot reach, is soft
   until the sessions reach it).
2. **Repair**: while seats break a rule (:mod:`.violations`), or leave a
   type's own rule short, sub-events around the sessions where, every rule
   breakable at a cost, the least broken first; taken when less is broken.
   The first allocation is the first seats that break nothing. Then the
   passes re-seated by min-cost flows, where a pass's seats are one
   (:mod:`.passes`).
3. **Bound and sweep**: the LP relaxation of the whole type model
   (:mod:`.bound`: HiGHS's vertex, rounded into an allocation, or PDLP's
   last iterate on larger models, a bound certified from its duals), when it
   fits in memory and time; optimal when the cost meets a bound. Beside the
   search, where PDLP has not solved the LP in most of its time, the rest
   raises a Lagrangian bound over the same rows (:mod:`.lagrangian`), and
   PDLP's last iterate is certified with each type's exact choice. Then, on a
   model too large for one LP vertex, the LP of a part of the types at a
   time, the others held, rounded (:func:`.shed.rounded`), in rounds while
   the parts gain.
4. **Improvement**: sub-events around sessions, organisations, groups, the
   worst off and the plan (:mod:`.neighbourhoods`), each taken when no
   worse in the event's objective stages; their size grows while CP-SAT
   proves them and shrinks when it does not.

Work limits make every step deterministic: the same event, seed and work
limit give the same allocation on any machine.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """``METHOD`` loaded on first use: the LP bound's interpreter beside the search imports
    :mod:`.bound` without the search (nor OR-Tools, which the search's sub-events need)."""
    if name == "METHOD":
        from seatalloc.solve.methods.lns.method import METHOD

        return METHOD
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
