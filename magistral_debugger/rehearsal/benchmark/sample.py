"""``--limit N --seed S``: a sample of a benchmark that a laptop runs in an evening and that keeps its shape.

Stratified by split and label: each (split, label) group keeps its share of the sample, so
the share of correct solutions and the spread of where the first error sits stay as in
the whole set (largest remainders, the seed breaking ties), and the items of a group are
drawn at random with the seed. The same file, N and S always give the same items, in the
file's order.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence

from ...prompting.examples import Example


def stratified_sample(examples: Sequence[Example], limit: int, seed: int) -> list[Example]:
    if limit >= len(examples):
        return list(examples)
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        groups[(example.split, example.flawed_step)].append(index)
    rng = random.Random(seed)
    quotas = {key: limit * len(members) / len(examples) for key, members in groups.items()}
    counts = {key: math.floor(quota) for key, quota in quotas.items()}
    # The seats left go to the largest remainders; a tie is broken by the seed, not by file order.
    order = sorted(groups, key=lambda key: (counts[key] - quotas[key], rng.random()))
    for key in order[: limit - sum(counts.values())]:
        counts[key] += 1
    chosen = sorted(index for key, members in groups.items() for index in rng.sample(members, counts[key]))
    return [examples[index] for index in chosen]
