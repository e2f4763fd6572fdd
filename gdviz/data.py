"""Data for the classifier lessons, numpy only.

`blobs` draws labelled Gaussian clusters (a ten-line stand-in for
scikit-learn's `make_blobs`), `labelled` checks a data set (X, y) once so the
losses can trust it, and `minibatches` walks it in batches. `batch_indices` is
the minibatch schedule underneath, the same one `optimizers.sgd` follows.
`two_moons` and `circles` draw two classes that no straight line separates,
for the small network of `gdviz.network`.

    >>> X, y = blobs(6, centers=[[-2.0, 0.0], [2.0, 0.0]], cluster_std=0.5, seed=1)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [0, 0, 0, 1, 1, 1])
"""

import numbers

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


def blobs(n_samples, centers, cluster_std=1.0, seed=0, n_features=None, center_box=(-10.0, 10.0),
          shuffle=True):
    """Labelled Gaussian clusters: returns `X` of shape (n_samples, n_features) and labels `y`.

    Cluster k is drawn around its centre c_k with independent normal noise of
    standard deviation `cluster_std` in every feature, x = c_k + cluster_std * z,
    and labelled k, so the labels run 0, 1, ..., n_clusters - 1. The examples
    are shared out as evenly as possible (the first clusters get one more when
    they do not divide evenly).

    Parameters
    ----------
    n_samples : int >= 1
        How many examples in all; at least one per cluster.
    centers : int or array_like
        A count k of clusters, whose centres are then drawn uniformly in
        `center_box` in every feature; or the centres themselves, shape
        (k, n_features). A flat list of numbers is k centres on a line
        (one feature each), the 1-D case.
    cluster_std : float > 0, or one per cluster
        The spread of each cluster.
    seed : int >= 0
        Seeds everything drawn, so the same seed gives the same data.
    n_features : 1 or 2, optional
        Needed only when `centers` is a count (default 2); must agree with
        explicit centres.
    shuffle : bool
        Mix the examples (default). With False they come sorted by label, which
        is the order that makes unshuffled minibatches feed one class at a time.
    """
    n_samples = _checks.count("n_samples", n_samples, minimum=1)
    seed = _checks.count("seed", seed)
    rng = np.random.default_rng(seed)
    if n_features is not None:
        n_features = _checks.count("n_features", n_features, minimum=1)
        if n_features > 2:
            raise ValueError(f"n_features must be 1 or 2, got {n_features}")
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        n_clusters = _checks.count("centers", centers, minimum=1)
        low, high = (_checks.real("center_box", edge) for edge in center_box)
        if not low < high:
            raise ValueError(f"center_box must be (low, high) with low < high, got {center_box!r}")
        n_features = 2 if n_features is None else n_features
        centre_points = rng.uniform(low, high, size=(n_clusters, n_features))
    else:
        centre_points = _centres(centers, n_features)
        n_clusters, n_features = centre_points.shape
    spreads = _spreads(cluster_std, n_clusters)
    if n_samples < n_clusters:
        raise ValueError(f"n_samples must be at least the number of clusters ({n_clusters}), "
                         f"got {n_samples}")
    counts = np.full(n_clusters, n_samples // n_clusters)
    counts[: n_samples % n_clusters] += 1
    y = np.repeat(np.arange(n_clusters), counts)
    X = centre_points[y] + spreads[y, None] * rng.standard_normal((n_samples, n_features))
    if shuffle:
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
    return X, y


def _centres(centers, n_features):
    """Explicit cluster centres as a float array of shape (k, n_features)."""
    try:
        points = np.asarray(centers, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"centers must be a count or an array of centres, got {centers!r}") from None
    if points.ndim == 1:
        points = points[:, None]  # k centres on a line
    if points.ndim != 2 or len(points) == 0 or points.shape[1] > 2:
        raise ValueError("centers must be a count or centres of shape (k, 1) or (k, 2), "
                         f"got shape {np.shape(centers)}")
    if not np.all(np.isfinite(points)):
        raise ValueError(f"centers must be finite, got {centers!r}")
    if n_features is not None and n_features != points.shape[1]:
        raise ValueError(f"n_features={n_features} disagrees with centres of {points.shape[1]} "
                         "feature(s)")
    return points


def _spreads(cluster_std, n_clusters):
    """One standard deviation per cluster, each finite and > 0."""
    if isinstance(cluster_std, numbers.Real) and not isinstance(cluster_std, bool):
        return np.full(n_clusters, _checks.positive("cluster_std", cluster_std))
    spreads = np.asarray(cluster_std, dtype=float)
    if spreads.shape != (n_clusters,):
        raise ValueError(f"cluster_std must be one number or one per cluster ({n_clusters}), "
                         f"got {cluster_std!r}")
    if not np.all(np.isfinite(spreads) & (spreads > 0)):
        raise ValueError(f"cluster_std must be finite and > 0, got {cluster_std!r}")
    return spreads


def labelled(X, y, n_classes=None):
    """Check a labelled data set once; return it as float `X` (n, d) and integer `y` (n,).

    Rows of X are examples; a 1-D X is n examples of one feature. Labels are
    the integers 0 .. n_classes - 1 (any integers >= 0 when `n_classes` is not
    given). Raises ValueError naming the problem for empty data, NaN or
    infinite features, X and y of different lengths and labels outside the
    classes.
    """
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"X must be an array of numbers, got {type(X).__name__}") from None
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_samples,) or (n_samples, n_features), got {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X is empty (shape {X.shape}): need at least one example and one feature")
    bad_rows = np.flatnonzero(~np.all(np.isfinite(X), axis=1))
    if bad_rows.size:
        raise ValueError(f"X has NaN or infinite features in {bad_rows.size} row(s), "
                         f"first at row {bad_rows[0]}")
    labels = np.asarray(y)
    if labels.ndim != 1:
        raise ValueError(f"y must be a 1-D array of labels, got shape {labels.shape}")
    if len(labels) != len(X):
        raise ValueError(f"X and y must have the same length, got {len(X)} examples and "
                         f"{len(labels)} labels")
    if labels.dtype.kind not in "iub":
        if labels.dtype.kind != "f" or not np.all(np.isfinite(labels)) or np.any(labels % 1):
            raise ValueError(f"y must hold integer class labels, got {_sample(labels)}")
    labels = labels.astype(int)
    if n_classes is not None:
        n_classes = _checks.count("n_classes", n_classes, minimum=1)
    outside = (labels < 0) if n_classes is None else (labels < 0) | (labels >= n_classes)
    if np.any(outside):
        allowed = "integers >= 0" if n_classes is None else f"0 .. {n_classes - 1}"
        raise ValueError(f"y has labels outside the classes {allowed}: {_sample(labels[outside])}")
    return X, labels


def _sample(values, limit=5):
    """A short printable sample of the distinct values, for error messages."""
    distinct = np.unique(values)
    shown = ", ".join(repr(value.item()) for value in distinct[:limit])
    return shown + (", ..." if distinct.size > limit else "")


def minibatches(X, y, batch_size, shuffle=True, seed=0, epochs=1):
    """Walk a data set in minibatches: yields `(epoch, X_batch, y_batch)`.

    Every epoch visits each example once, in batches of `batch_size` (the last
    one may be smaller), reshuffled each epoch unless `shuffle=False`; the order
    comes from `batch_indices(len(X), batch_size, shuffle, seed)`, the same
    schedule `optimizers.sgd` uses, so the same seed gives the same batches.
    Stops after `epochs` epochs; `epochs=None` never stops.

    With `shuffle=False` the batches follow the data's own order every epoch:
    on data sorted by label, most batches then hold a single class.
    """
    X, y = labelled(X, y)
    epochs = None if epochs is None else _checks.count("epochs", epochs, minimum=1)
    schedule = batch_indices(len(X), batch_size, shuffle, seed)

    def batches():
        for epoch, indices in schedule:
            if epochs is not None and epoch >= epochs:
                return
            yield epoch, X[indices], y[indices]

    return batches()


def two_clouds(seed=1):
    """Two overlapping clouds of 50 points in two features, labels 0 and 1.

    The small example of the scoring lesson (`apps.ScoringLab`): close enough
    that no line separates them perfectly, so both losses stay above zero.
    """
    return blobs(100, centers=[(-1.5, -1.0), (1.5, 1.0)], cluster_std=1.0, seed=seed)


def two_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles, labels 0 and 1: data that no straight line separates.

    Class 0 lies on the upper half of the unit circle, (cos t, sin t) for t
    from 0 to pi; class 1 on the same arc turned upside down and moved right
    and down, (1 - cos t, 1/2 - sin t), so each moon reaches into the other's
    hollow. Along each arc t is evenly spaced; then every coordinate gets
    independent normal noise of standard deviation `noise`. Class 0 has
    ceil(n/2) examples, class 1 the rest; the examples are shuffled.

    Parameters
    ----------
    n_samples : int >= 2
    noise : float >= 0, the spread around the arcs (0.1 to 0.2 leaves them apart but close).
    seed : int >= 0, seeds the noise and the shuffle.

    >>> X, y = two_moons(6, noise=0.0, seed=0)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    n_samples = _checks.count("n_samples", n_samples, minimum=2)
    noise = _checks.non_negative("noise", noise)
    rng = np.random.default_rng(_checks.count("seed", seed))
    upper = n_samples - n_samples // 2
    t_upper = np.linspace(0.0, np.pi, upper)
    t_lower = np.linspace(0.0, np.pi, n_samples - upper)
    X = np.concatenate([np.column_stack([np.cos(t_upper), np.sin(t_upper)]),
                        np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])])
    y = np.repeat([0, 1], [upper, n_samples - upper])
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def circles(n_samples=200, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles, labels 0 (the outer, radius 1) and 1 (the inner, radius `factor`).

    The points sit at evenly spaced angles on each circle, plus independent
    normal noise of standard deviation `noise` in each coordinate. Class 0 has
    ceil(n/2) examples, class 1 the rest; the examples are shuffled. No line
    separates them; a circle does.

    Parameters
    ----------
    n_samples : int >= 2
    noise : float >= 0
    factor : float, 0 < factor < 1, the inner circle's radius over the outer one's.
    seed : int >= 0, seeds the noise and the shuffle.
    """
    n_samples = _checks.count("n_samples", n_samples, minimum=2)
    noise = _checks.non_negative("noise", noise)
    factor = _checks.real("factor", factor)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1 (the inner radius over the outer), got {factor!r}")
    rng = np.random.default_rng(_checks.count("seed", seed))
    outer = n_samples - n_samples // 2
    angles = [np.linspace(0.0, 2 * np.pi, count, endpoint=False) for count in (outer, n_samples - outer)]
    X = np.concatenate([radius * np.column_stack([np.cos(angle), np.sin(angle)])
                        for radius, angle in zip((1.0, factor), angles, strict=True)])
    y = np.repeat([0, 1], [outer, n_samples - outer])
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]
