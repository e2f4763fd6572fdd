"""Data for the classifier lessons, numpy only.

`batch_indices` is the minibatch schedule that `optimizers.sgd` follows.
"""

import numpy as np

from . import _checks


def batch_indices(n_samples, batch_size, shuffle=True, seed=0):
    """Endless minibatches of example indices: yields `(epoch, indices)`.

    Each epoch covers all `n_samples` examples once in batches of `batch_size`
    (the last batch of an epoch may be smaller). With `shuffle` the order is
    redrawn every epoch from a generator seeded with `seed`; without it the
    batches come in the data's own order every epoch, which is how a sorted data
    set feeds one class at a time.
    """
    n_samples = _checks.count("n_samples", n_samples, minimum=1)
    batch_size = _checks.count("batch_size", batch_size, minimum=1)
    if batch_size > n_samples:
        raise ValueError(f"batch_size must be at most n_samples={n_samples}, got {batch_size}")
    rng = np.random.default_rng(_checks.count("seed", seed))

    def batches():
        epoch = 0
        while True:
            order = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
            for first in range(0, n_samples, batch_size):
                yield epoch, order[first:first + batch_size]
            epoch += 1

    return batches()
