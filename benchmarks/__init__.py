"""Benchmarks: speed and quality of seatalloc against baselines, in the same run."""
