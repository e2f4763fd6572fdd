"""gdviz.network and gdviz.network_slices: the network's loss and backpropagation, its training, and slices.

Gradients are checked against central differences written here, the forward pass against a loop over
examples and units written with math.tanh, the network without hidden layers against gdviz.linear's log
loss, principal directions against np.linalg.eigh of the covariance matrix; training against held-out data.
"""

import dataclasses
import math

import numpy as np
import pytest

import gdviz
from gdviz import data, landscapes, linear, network, optimizers
from gdviz.experiments import neural_landscape as experiments
from gdviz.figures import neural_landscape as figures
from gdviz.figures import style


def central_differences(f, x, h=1e-5):
    """The gradient of f at x by (f(x + h e_i) - f(x - h e_i)) / 2h, one coordinate at a time."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def relative_error(grad, reference):
    return np.linalg.norm(grad - reference) / np.linalg.norm(reference)


@pytest.fixture(scope="module")
def moons():
    return data.two_moons(60, noise=0.15, seed=3)


def net_and_theta(moons, hidden=(8, 8), activation="tanh", l2=0.0, seed=0, scale=1.0):
    X, y = moons
    net = network.Network(X, y, hidden, activation, l2)
    jitter = np.random.default_rng(seed + 100).standard_normal(net.n_params)
    return net, scale * net.initial(seed) + 0.1 * jitter


# ---------------------------------------------------------------- the loss and its gradient

@pytest.mark.parametrize("hidden", [(8, 8), (3,), (), (5, 4, 3)])
@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backprop_matches_central_differences(moons, hidden, l2, seed):
    net, theta = net_and_theta(moons, hidden, l2=l2, seed=seed, scale=1.5)
    assert relative_error(net.grad(theta), central_differences(net, theta)) < 1e-6


def test_relu_backprop_matches_central_differences_away_from_its_kinks():
    X, y = data.two_moons(20, noise=0.1, seed=1)
    net = network.Network(X, y, (5,), "relu")
    theta = net.initial(4)
    assert relative_error(net.grad(theta), central_differences(net, theta, h=1e-6)) < 1e-5


def by_hand(X, y, layers, activation, l2):
    """The mean log loss of the network, example by example and unit by unit, in plain Python."""
    f = math.tanh if activation == "tanh" else (lambda z: max(z, 0.0))
    total = 0.0
    for features, label in zip(X.tolist(), y.tolist(), strict=True):
        h = features
        for depth, (W, b) in enumerate(layers):
            z = [sum(w * value for w, value in zip(row, h, strict=True)) + bias
                 for row, bias in zip(W, b, strict=True)]
            h = z if depth == len(layers) - 1 else [f(value) for value in z]
        s = h[0]
        total += math.log(1 + math.exp(s)) - label * s
    penalty = 0.5 * l2 * sum(float(np.sum(W * W)) for W, _ in layers)
    return total / len(y) + penalty


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_the_loss_is_the_mean_log_loss_computed_by_hand(moons, activation):
    net, theta = net_and_theta(moons, (4, 3), activation, l2=0.05)
    assert net(theta) == pytest.approx(by_hand(net.X, net.y, net.layers(theta), activation, 0.05), rel=1e-12)


def test_without_hidden_layers_it_is_the_linear_classifiers_log_loss(moons):
    X, y = moons
    net = network.Network(X, y, hidden=(), l2=0.3)
    W, b = np.array([0.7, -1.2]), 0.4
    theta = net.pack([(W[None, :], np.array([b]))])
    expected = linear.log_loss(X, y, W, b, l2=0.3)
    assert net(theta) == pytest.approx(expected.value, rel=1e-12)
    np.testing.assert_allclose(net.grad(theta), [*expected.grad_W, expected.grad_b], rtol=1e-12)


def test_the_loss_read_after_a_gradient_is_the_loss_bit_for_bit(moons):
    net, theta = net_and_theta(moons, l2=0.1)
    fresh = float(net.losses(theta[None])[0])
    net.grad(theta)
    assert net(theta) == fresh and net(theta + 1e-3) == float(net.losses((theta + 1e-3)[None])[0])


def test_many_thetas_at_once_equal_one_at_a_time(moons):
    net, _ = net_and_theta(moons)
    thetas = np.array([net.initial(seed) for seed in range(7)])
    np.testing.assert_allclose(net.losses(thetas), [net(theta) for theta in thetas], rtol=1e-13)
    np.testing.assert_allclose(net.gradients(thetas), [net.grad(theta) for theta in thetas], rtol=1e-12,
                               atol=1e-15)


def test_a_minibatch_loss_is_the_loss_of_a_network_on_those_examples(moons):
    net, theta = net_and_theta(moons, l2=0.2)
    indices = np.array([3, 17, 0, 42, 8])
    alone = network.Network(net.X[indices], net.y[indices], net.hidden, net.activation, net.l2)
    assert net.batch_loss(theta, indices) == pytest.approx(alone(theta), rel=1e-13)
    np.testing.assert_allclose(net.batch_grad(theta, indices), alone.grad(theta), rtol=1e-12)


def test_layers_and_pack_are_inverse_and_rows_hold_each_units_weights(moons):
    net, theta = net_and_theta(moons, (6, 5))
    layers = net.layers(theta)
    assert [W.shape for W, _ in layers] == [(6, 2), (5, 6), (1, 5)]
    assert [b.shape for _, b in layers] == [(6,), (5,), (1,)]
    np.testing.assert_array_equal(net.pack(layers), theta)
    assert net.n_params == 6 * 3 + 5 * 7 + 1 * 6
    rows = net.weight_rows()
    assert len(rows) == 6 + 5 + 1
    layer, row = rows[7]  # the second unit of the second layer
    np.testing.assert_array_equal(theta[row], layers[1][0][1])
    assert net.bias_mask().sum() == 6 + 5 + 1
    np.testing.assert_array_equal(theta[net.bias_mask()], np.concatenate([b for _, b in layers]))


def test_initial_weights_are_seeded_scaled_by_fan_in_and_biases_start_at_zero():
    X, y = data.two_moons(40, seed=0)
    net = network.Network(X, y, (400, 300))
    first, again, other = net.initial(5), net.initial(5), net.initial(6)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert np.all(first[net.bias_mask()] == 0)
    W2 = net.layers(first)[1][0]
    assert W2.std() == pytest.approx(1 / math.sqrt(400), rel=0.02)  # 120,000 draws
    relu = network.Network(X, y, (400, 300), "relu")
    assert relu.layers(relu.initial(5))[1][0].std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)


def test_predictions_follow_the_sign_of_the_score(moons):
    net, theta = net_and_theta(moons, (4,))
    probabilities = net.probabilities(theta)
    assert np.all((probabilities > 0) & (probabilities < 1))
    np.testing.assert_array_equal(net.predict(theta), (probabilities > 0.5).astype(int))
    assert net.accuracy(theta) == pytest.approx(np.mean(net.predict(theta) == net.y))
    X_new = np.array([[0.0, 1.0], [1.0, -0.5]])
    assert net.accuracy(theta, X_new, net.predict(theta, X_new)) == 1.0


# ---------------------------------------------------------------- training through the shared optimizers

@pytest.mark.parametrize("noise", [0.1, 0.15])
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_training_gets_95_percent_of_a_held_out_quarter_of_two_moons_right(noise, seed):
    X, y = data.two_moons(400, noise=noise, seed=seed)
    X_train, y_train, X_test, y_test = network.split(X, y, 0.25, seed)
    assert len(y_test) == 100 and len(y_train) == 300
    net = network.Network(X_train, y_train, (16, 16))
    walk = gdviz.run(optimizers.adam(net, net.initial(seed), alpha=0.01), max_steps=1000)
    assert net.accuracy(walk.w[-1], X_test, y_test) >= 0.95
    assert walk.loss[-1] < 0.1 * walk.loss[0]


def test_the_preset_trains_once_and_gets_the_held_out_moons_right():
    trained = network.preset("moons-tanh")
    assert network.preset("moons-tanh") is trained  # remembered in the process
    assert trained.test_accuracy >= 0.95 and trained.train_accuracy >= 0.95
    assert trained.path.shape == (1001, trained.network.n_params)
    np.testing.assert_array_equal(trained.theta0, trained.network.initial(0))
    with pytest.raises(ValueError):
        trained.path[0, 0] = 1.0  # shared, so read-only


def test_sgd_trains_the_network_on_real_minibatches(moons):
    net, _ = net_and_theta(moons)
    walk = network.train(net, optimizer="sgd", alpha=0.3, steps=40, batch_size=10, seed=2)
    assert walk.state["epoch"].tolist() == [step // 6 for step in range(41)]
    assert walk.loss[-1] < walk.loss[0]


# ---------------------------------------------------------------- slices

@pytest.fixture(scope="module")
def sliced(moons):
    net, theta = net_and_theta(moons, (6, 5), l2=0.01, seed=3)
    d1, d2 = network.random_directions(net, theta, seed=1)
    return net, theta, d1, d2, network.slice_landscape(net, theta, d1, d2)


def test_the_slice_at_its_origin_is_the_networks_loss_at_theta(sliced):
    net, theta, _, _, land = sliced
    assert float(land([0.0, 0.0])) == pytest.approx(net(theta), rel=1e-14)


@pytest.mark.parametrize("point", [(0.0, 0.0), (0.3, -0.7), (-0.9, 0.5)])
def test_the_slices_gradient_matches_central_differences(sliced, point):
    _, _, _, _, land = sliced
    numeric = central_differences(lambda w: float(land(w)), point)
    assert relative_error(land.grad(point), numeric) < 1e-6


def test_the_slices_gradient_is_the_backpropagated_gradient_projected(sliced):
    net, theta, d1, d2, land = sliced
    g = net.grad(theta + 0.2 * d1 - 0.4 * d2)
    np.testing.assert_allclose(land.grad([0.2, -0.4]), [g @ d1, g @ d2], rtol=1e-12)


def test_a_mesh_at_once_equals_a_loop_over_its_points(sliced):
    _, _, _, _, land = sliced
    X, Y, Z = land.mesh(15)
    points = np.stack([X, Y], axis=-1)
    loop = np.array([[float(land(point)) for point in row] for row in points])
    np.testing.assert_allclose(Z, loop, rtol=1e-13)
    grads = land.grad(points)
    loop_grads = np.array([[land.grad(point) for point in row] for row in points])
    np.testing.assert_allclose(grads, loop_grads, rtol=1e-12, atol=1e-15)


def test_the_slices_minibatches_are_the_networks(sliced):
    net, theta, d1, d2, land = sliced
    indices = np.array([1, 5, 9])
    w = np.array([0.4, 0.1])
    assert land.has_data and land.data_size == net.data_size
    assert land.batch_loss(w, indices) == pytest.approx(net.batch_loss(theta + 0.4 * d1 + 0.1 * d2, indices))
    g = net.batch_grad(theta + 0.4 * d1 + 0.1 * d2, indices)
    np.testing.assert_allclose(land.batch_grad(w, indices), [g @ d1, g @ d2], rtol=1e-12)
    walk = gdviz.run(optimizers.sgd(land, (0.5, 0.5), alpha=0.05, batch_size=8), max_steps=20)
    assert walk.state["batch_loss"].shape == (21,)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_filter_normalisation_gives_each_unit_its_own_size_and_no_bias(moons, seed):
    net, theta = net_and_theta(moons, (6, 5), seed=seed)
    directions = network.random_directions(net, theta, seed=seed)
    assert directions.shape == (2, net.n_params)
    for direction in directions:
        assert np.all(direction[net.bias_mask()] == 0)
        for _, row in net.weight_rows():
            assert np.linalg.norm(direction[row]) == pytest.approx(np.linalg.norm(theta[row]), rel=1e-12)
    np.testing.assert_array_equal(directions, network.random_directions(net, theta, seed=seed))


def test_layer_normalisation_gives_each_layer_its_own_size(moons):
    net, theta = net_and_theta(moons, (6, 5))
    directions = network.random_directions(net, theta, seed=2, normalise="layer")
    for direction in directions:
        assert np.all(direction[net.bias_mask()] == 0)
        for layer, ((W, _), (D, _)) in enumerate(zip(net.layers(theta), net.layers(direction), strict=True)):
            assert np.linalg.norm(D) == pytest.approx(np.linalg.norm(W), rel=1e-12), layer


def test_a_unit_with_no_weights_gets_no_direction(moons):
    net, theta = net_and_theta(moons, (3,))
    _, row = net.weight_rows()[1]
    theta[row] = 0.0
    directions = network.random_directions(net, theta, seed=0)
    assert np.all(directions[:, row] == 0)


def pca_by_eigh(path):
    """Principal directions and variance ratios from the covariance matrix's eigen-decomposition."""
    covariance = np.cov(path, rowvar=False)
    values, vectors = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1]
    return vectors[:, order].T, values[order] / values.sum()


def pca_by_svd(path):
    """Principal directions and variance ratios from the singular values of the centred points."""
    _, singular, rows = np.linalg.svd(path - path.mean(axis=0), full_matrices=False)
    return rows, singular**2 / np.sum(singular**2)


@pytest.mark.parametrize("shape", [(80, 12), (12, 80)])  # more points than numbers in each, and fewer
@pytest.mark.parametrize("independent", [pca_by_eigh, pca_by_svd])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_principal_directions_match_an_independent_computation(shape, independent, seed):
    rng = np.random.default_rng(seed)
    path = np.cumsum(rng.standard_normal(shape) * np.linspace(3, 0.2, shape[1]), axis=0)
    directions, ratios = network.pca_directions(path, n_components=3)
    vectors, shares = independent(path)
    np.testing.assert_allclose(ratios, shares[:3], rtol=1e-9)
    assert ratios.sum() <= 1 and np.all(np.diff(ratios) <= 0)
    for direction, vector in zip(directions, vectors, strict=False):
        assert abs(direction @ vector) == pytest.approx(1.0, abs=1e-9)  # the same line, either sign
        assert direction @ (path[-1] - path[0]) >= 0  # signed forward along the path
    np.testing.assert_allclose(directions @ directions.T, np.eye(3), atol=1e-12)
    assert network.variance_share(path, directions[:2]) == pytest.approx(ratios[:2].sum(), rel=1e-10)


def test_a_path_in_a_plane_is_all_in_its_principal_plane_and_projects_exactly():
    rng = np.random.default_rng(4)
    basis = rng.standard_normal((2, 30))
    origin = rng.standard_normal(30)
    coordinates = np.cumsum(rng.standard_normal((50, 2)), axis=0)
    path = origin + coordinates @ basis
    directions, ratios = network.pca_directions(path)
    assert ratios.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(network.project_path(path, origin, basis), coordinates, atol=1e-9)


def test_a_random_walks_first_components_explain_about_what_theory_says():
    # Antognini and Sohl-Dickstein (2018): in many dimensions the k-th principal component of a random walk
    # explains about 6 / (pi^2 k^2) of its variance: 0.61 and 0.15 for the first two.
    walks = [network.random_walk(400, 2000, seed) for seed in range(3)]
    ratios = np.mean([network.pca_directions(walk)[1] for walk in walks], axis=0)
    np.testing.assert_allclose(ratios, [6 / np.pi**2, 6 / (4 * np.pi**2)], atol=0.04)
    walk = network.random_walk(10, 3, seed=1)
    assert walk.shape == (11, 3) and np.all(walk[0] == 0)
    np.testing.assert_array_equal(walk, network.random_walk(10, 3, seed=1))


def test_random_directions_hold_a_small_share_of_a_random_walks_variance():
    walk = network.random_walk(300, 500, seed=0)
    directions = np.random.default_rng(1).standard_normal((2, 500))
    assert network.variance_share(walk, directions) < 0.05  # about 2 / 500 on average


def test_the_line_from_one_theta_to_another_starts_and_ends_at_their_losses(moons):
    net, theta0 = net_and_theta(moons, seed=0)
    theta1 = net.initial(1)
    losses = network.interpolation(net, theta0, theta1, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(losses, [net(theta0), net(0.5 * (theta0 + theta1)), net(theta1)], rtol=1e-13)


def test_a_preset_slice_is_named_by_its_recipe_and_rebuilt_from_it():
    land = network.preset_slice("moons-tanh", "random", seed=2)
    assert land.name == "network:moons-tanh:random:2"
    assert network.from_slice_name(land.name) is land
    trained = network.preset("moons-tanh")
    assert float(land([0.0, 0.0])) == pytest.approx(trained.network(trained.theta))
    plane = network.preset_slice("moons-tanh", "pca")
    assert plane.name == "network:moons-tanh:pca:0"
    (a_low, a_high), (b_low, b_high) = plane.domain
    assert a_low <= plane.start[0] <= a_high and b_low <= plane.start[1] <= b_high
    assert isinstance(land, landscapes.Landscape) and land.has_data


def test_the_explorer_walks_a_network_slice_with_every_optimizer():
    from gdviz.apps import Explorer

    land = network.preset_slice("moons-tanh", "random")
    app = Explorer(landscape=land, max_steps=30)
    for name in optimizers.names(hessian=False):  # Newton is not offered: a slice has no Hessian
        app.optimizer.value = name
        assert app.error is None and len(app.trajectory) >= 2, name


# ---------------------------------------------------------------- bad input

def test_bad_arguments_are_refused_with_their_names(moons):
    X, y = moons
    with pytest.raises(ValueError, match="activation"):
        network.Network(X, y, activation="sigmoid")
    with pytest.raises(TypeError, match="hidden"):
        network.Network(X, y, hidden=16)
    with pytest.raises(ValueError, match="hidden"):
        network.Network(X, y, hidden=(16, 0))
    with pytest.raises(ValueError, match="l2"):
        network.Network(X, y, l2=-1.0)
    with pytest.raises(ValueError, match="labels"):
        network.Network(X, y + 1)
    net = network.Network(X, y, (4,))
    with pytest.raises(ValueError, match="theta"):
        net(np.zeros(3))
    with pytest.raises(ValueError, match="indices"):
        net.batch_loss(net.initial(), [])
    with pytest.raises(ValueError, match="layers"):
        net.pack([])
    with pytest.raises(ValueError, match="X and y"):
        net.accuracy(net.initial(), X)
    with pytest.raises(ValueError, match="held_out"):
        network.split(X, y, held_out=1.0)
    with pytest.raises(TypeError, match="network"):
        network.train("moons")
    with pytest.raises(ValueError, match="preset"):
        network.preset("moons-sigmoid")
    with pytest.raises(ValueError, match="normalise"):
        network.random_directions(net, net.initial(), normalise="unit")
    with pytest.raises(ValueError, match="path"):
        network.pca_directions(np.zeros((1, 5)))
    with pytest.raises(ValueError, match="path must move"):
        network.pca_directions(np.ones((4, 5)))
    with pytest.raises(ValueError, match="n_components"):
        network.pca_directions(np.eye(3), n_components=4)
    with pytest.raises(ValueError, match="n_components"):
        network.pca_directions(np.eye(3), n_components=3)  # three points, centred: two directions
    theta = net.initial()
    with pytest.raises(ValueError, match="independent"):
        network.slice_landscape(net, theta, theta, 2 * theta)
    with pytest.raises(ValueError, match="directions"):
        network.project_path(np.eye(3), np.zeros(3), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="directions"):
        network.preset_slice("moons-tanh", "hessian")
    with pytest.raises(ValueError, match="network:<preset>"):
        network.from_slice_name("moons-tanh:random:0")
    with pytest.raises(TypeError, match="name"):
        network.from_slice_name(3)
    with pytest.raises(ValueError, match="preset"):
        network.from_slice_name("network:moons-sigmoid:random:0")
    with pytest.raises(ValueError, match="dimension"):
        network.random_walk(10, 1)


# ---------------------------------------------------------------- the lesson's measures and figures

def test_mesh_curvatures_are_the_eigenvalues_of_a_quadratics_hessian():
    X, Y = np.meshgrid(np.linspace(-1, 1, 9), np.linspace(-2, 2, 11))
    Z = X**2 + 3 * Y**2 + X * Y  # Hessian [[2, 1], [1, 6]] everywhere
    smallest, largest = experiments.curvatures(X, Y, Z)
    expected = np.linalg.eigvalsh([[2.0, 1.0], [1.0, 6.0]])
    assert smallest.shape == (9, 7)
    np.testing.assert_allclose(smallest, expected[0], rtol=1e-9)
    np.testing.assert_allclose(largest, expected[1], rtol=1e-9)
    saddle = experiments.curvatures(X, Y, X**2 - Y**2)
    np.testing.assert_allclose(saddle[0], -2.0, rtol=1e-9)
    with pytest.raises(ValueError, match="meshes"):
        experiments.curvatures(X[:2], Y[:2], Z[:2])


def test_the_variations_refuse_unknown_labels_and_groups():
    with pytest.raises(ValueError, match="labels"):
        experiments.variations(labels=["8 units"])
    with pytest.raises(ValueError, match="direction_seeds"):
        experiments.variations(direction_seeds=())
    found = experiments.variations(labels=["4 units"], direction_seeds=(0,), n=5)
    assert found.flattest("width") == "4 units"
    with pytest.raises(ValueError, match="group"):
        found.flattest("depth")


@pytest.fixture(scope="module")
def lesson():
    return {"linear": experiments.linear_slices(n=21), "view": experiments.network_slice(n=21),
            "path": experiments.training_path(n=21),
            "variations": experiments.variations(labels=["4 units", "tanh", "relu"], direction_seeds=(0,),
                                                 n=11)}


def test_each_figure_draws_its_result(lesson):
    built = [figures.linear_slices_figure(lesson["linear"]), figures.network_slice_figure(lesson["view"]),
             figures.interpolation_figure(lesson["view"]), figures.training_path_figure(lesson["path"]),
             figures.variations_figure(lesson["variations"])]
    roles = [{trace.meta for trace in figure.data} for figure in built]
    assert {"map linear", "start theta", "curve line 1"} <= roles[0]
    assert {"surface slice", "map slice", "start theta"} <= roles[1]
    assert {"curve loss on the line", "start", "stop trained"} <= roles[2]
    assert {"map plane", "path training", "path walk"} <= roles[3]
    assert {"map 4 units", "map tanh", "map relu"} == roles[4]  # tanh is drawn once, for both its names
    path = style.trace(built[3], "path training")
    np.testing.assert_array_equal(path.x, lesson["path"].coordinates[:, 0])
    with pytest.raises(TypeError, match="network_slice"):
        figures.network_slice_figure(lesson["linear"])


def test_a_loss_that_is_not_finite_is_a_gap(lesson):
    view = lesson["view"]
    Z = view.Z.copy()
    Z[3, 4], Z[5, 6] = np.inf, np.nan
    broken = dataclasses.replace(view, Z=Z)
    figure = figures.network_slice_figure(broken)
    for role in ("map slice", "surface slice"):
        z = np.array(style.trace(figure, role).z, dtype=float)
        assert np.isnan(z[3, 4]) and np.isnan(z[5, 6]) and np.isfinite(z[0, 0])
