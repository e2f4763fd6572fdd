"""Minibatches (07): SGD against full-batch descent, epoch for epoch."""

from .. import _checks, landscapes, optimizers, theory
from ..run import run

__all__ = ["sgd_runs"]


def sgd_runs(landscape, alpha, batch_sizes=(8,), epochs=10, shuffle=True, seed=0, start=None):
    """Full-batch descent and SGD for each batch size, from one start, for the same epochs.

    An epoch is one pass over the data: one step of full-batch descent, or
    ceil(n / batch_size) minibatch steps (`theory.batches_per_epoch`). Returns
    {label: (Trajectory, steps_per_epoch)}, the full-batch run first.
    `landscape` must carry data (`landscape.has_data`), like
    `classifier.classifier_landscape()`.
    """
    landscape = landscapes.get(landscape)
    if not landscape.has_data:
        raise ValueError(f"landscape must carry data for minibatches (has_data), got {landscape.name!r}; "
                         "use gdviz.classifier.classifier_landscape()")
    epochs = _checks.count("epochs", epochs, minimum=1)
    start = landscape.start if start is None else _checks.point("start", start)
    runs = {"full batch": (run(optimizers.gradient_descent(landscape, start, alpha), max_steps=epochs), 1)}
    for batch_size in batch_sizes:
        per_epoch = theory.batches_per_epoch(landscape.data_size, batch_size)
        steps = optimizers.sgd(landscape, start, alpha, batch_size=batch_size, shuffle=shuffle, seed=seed)
        label = f"batch {batch_size}" + ("" if shuffle else ", unshuffled")
        runs[label] = (run(steps, max_steps=epochs * per_epoch), per_epoch)
    return runs
