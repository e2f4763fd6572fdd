"""gdviz.data: Gaussian blobs, the checked data set, and the minibatch iterator."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdviz import data


@pytest.mark.parametrize("n_samples, centers, n_features, shape, counts", [
    (250, 2, None, (250, 2), [125, 125]),
    (7, 3, 2, (7, 2), [3, 2, 2]),  # the first clusters take the remainder
    (10, 2, 1, (10, 1), [5, 5]),
    (9, [-1.0, 0.0, 4.0], None, (9, 1), [3, 3, 3]),  # a flat list: centres on a line
    (4, [[0.0, 1.0], [2.0, 3.0]], None, (4, 2), [2, 2]),
    (6, [[0.0, 1.0], [2.0, 3.0]], 2, (6, 2), [3, 3]),
])
def test_blobs_shapes_and_labels(n_samples, centers, n_features, shape, counts):
    X, y = data.blobs(n_samples, centers, cluster_std=0.5, seed=3, n_features=n_features)
    assert X.shape == shape and y.shape == (n_samples,)
    assert np.bincount(y).tolist() == counts
    assert np.all(np.isfinite(X))


def test_blobs_clusters_sit_at_their_centres_with_their_spread():
    centres = np.array([[-4.0, 1.0], [3.0, 2.0], [0.0, -5.0]])
    spreads = [0.5, 1.0, 2.0]
    X, y = data.blobs(30_000, centres, cluster_std=spreads, seed=1)
    for label, (centre, spread) in enumerate(zip(centres, spreads, strict=True)):
        cluster = X[y == label]
        # 10_000 draws: the sample mean is within 5 standard errors (5 * spread / 100).
        np.testing.assert_allclose(cluster.mean(axis=0), centre, atol=5 * spread / 100)
        np.testing.assert_allclose(cluster.std(axis=0), spread, rtol=0.03)


def test_blobs_counted_centres_fall_in_the_centre_box():
    X, y = data.blobs(2000, 5, cluster_std=0.01, seed=4, center_box=(2.0, 3.0))
    means = np.array([X[y == label].mean(axis=0) for label in range(5)])
    assert np.all((means > 2.0 - 0.01) & (means < 3.0 + 0.01))


def test_blobs_seeded_and_shuffled():
    first, again, other = (data.blobs(50, 2, 1.0, seed) for seed in (7, 7, 8))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])
    assert not np.all(np.diff(first[1]) >= 0)  # shuffled: the labels are not sorted
    _, in_order = data.blobs(50, 2, 1.0, seed=7, shuffle=False)
    assert np.all(np.diff(in_order) >= 0)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n_samples": 0}, ValueError, "n_samples"),
    ({"n_samples": 2.5}, TypeError, "n_samples"),
    ({"centers": 0}, ValueError, "centers"),
    ({"centers": [[0.0, 1.0, 2.0]]}, ValueError, "centers"),
    ({"centers": [[0.0, np.nan]]}, ValueError, "centers must be finite"),
    ({"centers": []}, ValueError, "centers"),
    ({"centers": "two"}, TypeError, "centers"),
    ({"cluster_std": 0.0}, ValueError, "cluster_std"),
    ({"cluster_std": -1.0}, ValueError, "cluster_std"),
    ({"cluster_std": np.nan}, ValueError, "cluster_std"),
    ({"cluster_std": [1.0, 2.0, 3.0]}, ValueError, "cluster_std must be one number or one per cluster"),
    ({"n_features": 3}, ValueError, "n_features must be 1 or 2"),
    ({"centers": [[0.0, 1.0]], "n_features": 1}, ValueError, "n_features=1 disagrees"),
    ({"n_samples": 1}, ValueError, "n_samples must be at least the number of clusters"),
    ({"center_box": (1.0, -1.0)}, ValueError, "center_box"),
    ({"seed": -1}, ValueError, "seed"),
])
def test_blobs_bad_input_names_the_problem(kwargs, error, message):
    arguments = {"n_samples": 10, "centers": 2, "cluster_std": 1.0, "seed": 0, **kwargs}
    with pytest.raises(error, match=message):
        data.blobs(**arguments)


def test_labelled_cleans_a_data_set():
    X, y = data.labelled([0.5, 1.5, 2.5], np.array([0.0, 1.0, 1.0]))
    assert X.shape == (3, 1) and y.dtype.kind == "i" and y.tolist() == [0, 1, 1]


@pytest.mark.parametrize("X, y, n_classes, message", [
    ([[1.0], [2.0], [3.0]], [0, 1], None, "same length, got 3 examples and 2 labels"),
    ([], [], None, "X is empty"),
    (np.zeros((3, 0)), [0, 1, 0], None, "X is empty"),
    ([[1.0], [np.nan], [3.0]], [0, 1, 0], None, "NaN or infinite features .* row 1"),
    ([[1.0], [np.inf]], [0, 1], None, "NaN or infinite"),
    ([1.0, 2.0], [0, 2], 2, "labels outside the classes 0 .. 1: 2"),
    ([1.0, 2.0], [-1, 1], 2, "labels outside the classes 0 .. 1: -1"),
    ([1.0, 2.0], [-1, 1], None, "labels outside the classes integers >= 0"),
    ([1.0, 2.0], [0.5, 1.0], None, "integer class labels"),
    ([1.0, 2.0], [[0, 1]], None, "y must be a 1-D array"),
    (np.zeros((2, 2, 2)), [0, 1], None, "X must have shape"),
])
def test_labelled_bad_input_names_the_problem(X, y, n_classes, message):
    with pytest.raises(ValueError, match=message):
        data.labelled(X, y, n_classes)


@settings(max_examples=60, deadline=None)
@given(n_samples=st.integers(1, 40), batch_fraction=st.floats(0.01, 1.0), seed=st.integers(0, 2**16),
       shuffle=st.booleans())
def test_minibatches_visit_every_example_once_per_epoch(n_samples, batch_fraction, seed, shuffle):
    batch_size = max(1, int(round(batch_fraction * n_samples)))
    X = np.arange(n_samples, dtype=float)
    y = np.arange(n_samples) % 3
    per_epoch = {}
    for epoch, X_batch, y_batch in data.minibatches(X, y, batch_size, shuffle, seed, epochs=3):
        assert 1 <= len(X_batch) <= batch_size
        np.testing.assert_array_equal(y_batch, X_batch[:, 0].astype(int) % 3)  # pairs stay together
        per_epoch.setdefault(epoch, []).extend(X_batch[:, 0].astype(int).tolist())
    assert sorted(per_epoch) == [0, 1, 2]
    for seen in per_epoch.values():
        assert sorted(seen) == list(range(n_samples))
        if not shuffle:
            assert seen == list(range(n_samples))


def test_minibatches_follow_batch_indices_and_the_seed():
    X, y = data.blobs(50, 2, 1.0, seed=0)
    batches = list(data.minibatches(X, y, 8, seed=5, epochs=2))
    schedule = data.batch_indices(50, 8, seed=5)
    for epoch, X_batch, y_batch in batches:
        scheduled_epoch, indices = next(schedule)
        assert epoch == scheduled_epoch
        np.testing.assert_array_equal(X_batch, X[indices])
        np.testing.assert_array_equal(y_batch, y[indices])
    assert len(batches) == 2 * 7  # ceil(50 / 8) batches per epoch
    again = list(data.minibatches(X, y, 8, seed=5, epochs=2))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(batches, again, strict=True))


def test_minibatches_shuffle_differently_each_epoch():
    X = np.arange(30.0)
    y = np.zeros(30, dtype=int)
    orders = {}
    for epoch, X_batch, _ in data.minibatches(X, y, 30, seed=0, epochs=4):
        orders[epoch] = tuple(X_batch[:, 0])
    assert len(set(orders.values())) == 4
    assert tuple(range(30)) not in orders.values()


def test_minibatches_without_shuffling_feed_one_class_at_a_time():
    # The trap of fixed-order batches: data sorted by label give single-class batches.
    X, y = data.blobs(64, 2, 1.0, seed=2, shuffle=False)
    classes = [set(y_batch.tolist()) for _, _, y_batch in data.minibatches(X, y, 16, shuffle=False)]
    assert classes == [{0}, {0}, {1}, {1}]


def test_minibatches_without_an_epoch_limit_keep_going():
    batches = data.minibatches([1.0, 2.0, 3.0], [0, 1, 0], 2, epochs=None)
    epochs = [next(batches)[0] for _ in range(10)]
    assert epochs == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


@pytest.mark.parametrize("X, y, batch_size, error, message", [
    ([1.0, 2.0, 3.0], [0, 1, 0], 0, ValueError, "batch_size must be an integer >= 1"),
    ([1.0, 2.0, 3.0], [0, 1, 0], 4, ValueError, "batch_size must be at most n_samples=3"),
    ([1.0, 2.0, 3.0], [0, 1, 0], 1.5, TypeError, "batch_size"),
    ([1.0, 2.0, 3.0], [0, 1], 1, ValueError, "same length"),
    ([1.0, np.nan, 3.0], [0, 1, 0], 1, ValueError, "NaN"),
    ([], [], 1, ValueError, "empty"),
])
def test_minibatches_bad_input_raises_at_the_call(X, y, batch_size, error, message):
    with pytest.raises(error, match=message):
        data.minibatches(X, y, batch_size)


def test_minibatches_bad_epochs():
    with pytest.raises(ValueError, match="epochs"):
        data.minibatches([1.0, 2.0], [0, 1], 1, epochs=0)
