"""fairpyx's Ariel 5783 experiment, its side: instances, its eight algorithms and its metrics.

Runs under fairpyx's own interpreter (it imports nothing from seatalloc), as fairpyx's
``experiments/compare_course_allocation_algorithms.py`` does:

    PYTHON=benchmarks/out/fairpyx-venv/bin/python
    $PYTHON benchmarks/fairpyx_ariel_peer.py run INPUT.json SIZE SEED OUT.json
    $PYTHON benchmarks/fairpyx_ariel_peer.py score INPUT.json SIZE SEED BUNDLES.json OUT.json

``run`` makes the instance with fairpyx's generator (``np.random.seed(SEED)``, then
``Instance.random_sample`` with the prototypes of INPUT, until the students' course counts reach
SIZE), writes it out with each student's maximum value (the normaliser of fairpyx's metrics), runs
the eight algorithms of the experiment on it and writes their allocations and run times (and
the error of an algorithm that fails).

``score`` computes fairpyx's metrics (``AgentBundleValueMatrix`` with normalised values) for
every allocation of BUNDLES (a name -> {student: [course, ...]}) on the same instance, made again.
"""

from __future__ import annotations

import json
import sys
import time

#: The algorithms of the experiment, in its order.
ALGORITHMS = (
    "utilitarian_matching",
    "iterated_maximum_matching_unadjusted",
    "iterated_maximum_matching_adjusted",
    "serial_dictatorship",
    "round_robin",
    "bidirectional_round_robin",
    "almost_egalitarian_without_donation",
    "almost_egalitarian_with_donation",
)


def make_instance(data: dict, size: int, seed: int):  # noqa: ANN201 (fairpyx's Instance)
    """fairpyx's instance for ``size`` and ``seed``, made as its experiment makes it."""
    import numpy as np
    from fairpyx import Instance

    np.random.seed(seed)
    # fairpyx 0.1 from PyPI passes random_sample's missing target weights on as an empty map,
    # which fails (KeyError) in every algorithm: give its own default (1,000,000 each) instead.
    # It draws no random numbers, so the instance is the experiment's.
    weights = dict.fromkeys(data["valuations"], 1_000_000)
    return Instance.random_sample(
        max_num_of_agents=size,
        max_total_agent_capacity=size,
        prototype_agent_conflicts=data["agent_conflicts"],
        prototype_agent_capacities=data["agent_capacities"],
        prototype_valuations=data["valuations"],
        prototype_agent_target_weights=weights,
        item_capacities=data["item_capacities"],
        item_conflicts=data["item_conflicts"],
    )


def describe(instance) -> dict:  # noqa: ANN001
    """The instance as plain data, read back through fairpyx's own accessors."""
    agents, items = list(instance.agents), list(instance.items)
    return {
        "agents": agents,
        "items": items,
        "valuations": {a: {i: instance.agent_item_value(a, i) for i in items} for a in agents},
        "agent_capacities": {a: instance.agent_capacity(a) for a in agents},
        "maximum_values": {a: instance.agent_maximum_value(a) for a in agents},
        "item_capacities": {i: instance.item_capacity(i) for i in items},
        "agent_conflicts": {a: sorted(instance.agent_conflicts(a)) for a in agents},
        "item_conflicts": {i: sorted(instance.item_conflicts(i)) for i in items},
    }


def run(input_path: str, size: int, seed: int, out_path: str) -> None:
    import fairpyx
    import fairpyx.algorithms as crs

    with open(input_path, encoding="utf-8") as f:
        data = json.load(f)
    instance = make_instance(data, size, seed)
    allocations, seconds, failures = {}, {}, {}
    for name in ALGORITHMS:
        started = time.perf_counter()
        try:
            allocation = fairpyx.divide(getattr(crs, name), instance)
        except Exception as error:  # noqa: BLE001 (the peer's own failure, reported as it is)
            failures[name] = f"{type(error).__name__}: {error}"
            continue
        finally:
            seconds[name] = time.perf_counter() - started
        allocations[name] = {a: list(items) for a, items in allocation.items()}
    result = {"size": size, "seed": seed, "instance": describe(instance)}
    result |= {"allocations": allocations, "seconds": seconds, "failures": failures}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


def score(input_path: str, size: int, seed: int, bundles_path: str, out_path: str) -> None:
    from fairpyx import AgentBundleValueMatrix

    with open(input_path, encoding="utf-8") as f:
        data = json.load(f)
    with open(bundles_path, encoding="utf-8") as f:
        bundles = json.load(f)
    instance = make_instance(data, size, seed)
    metrics = {}
    for name, allocation in bundles.items():
        full = {a: allocation.get(a, []) for a in instance.agents}
        matrix = AgentBundleValueMatrix(instance, full)
        matrix.use_normalized_values()
        metrics[name] = {
            "utilitarian_value": matrix.utilitarian_value(),
            "egalitarian_value": matrix.egalitarian_value(),
            "max_envy": matrix.max_envy(),
            "mean_envy": matrix.mean_envy(),
            "max_deficit": matrix.max_deficit(),
            "mean_deficit": matrix.mean_deficit(),
            "num_with_top_1": matrix.count_agents_with_top_rank(1),
            "num_with_top_2": matrix.count_agents_with_top_rank(2),
            "num_with_top_3": matrix.count_agents_with_top_rank(3),
        }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(metrics, f)


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        score(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
