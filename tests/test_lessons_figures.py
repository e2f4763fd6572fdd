"""The lesson figures: right numbers underneath, finite data in every trace, clear errors."""

import numpy as np
import plotly.graph_objects as go
import pytest

from gdviz import classifier, data, landscapes, optimizers, run
from gdviz.figures import lessons


def finite_traces(figure):
    """Every numeric array in every trace (and frame) is finite: NaN never reaches a trace."""
    traces = list(figure.data) + [trace for frame in figure.frames for trace in frame.data]
    for trace in traces:
        for key in ("x", "y", "z"):
            values = getattr(trace, key, None)
            if values is not None and len(values):
                assert np.all(np.isfinite(np.asarray(values, dtype=float))), (trace.name, key)
    return True


# ---------------------------------------------------------------- gallery

def test_gallery_has_one_map_per_landscape_with_minima_and_start():
    figure = lessons.gallery_figure()
    contours = [trace for trace in figure.data if isinstance(trace, go.Contour)]
    assert len(contours) == len(landscapes.names())
    titles = [annotation.text for annotation in figure.layout.annotations]
    for name in landscapes.names():
        assert any(title.startswith(name + ":") for title in titles)
    starts = [trace for trace in figure.data if trace.name == "Chad's start"]
    assert [tuple(trace.x + trace.y) for trace in starts] == [
        tuple(landscapes.get(name).start) for name in landscapes.names()]
    assert finite_traces(figure)


def test_gallery_colours_by_log_loss_but_hovers_the_true_loss():
    contour = lessons.gallery_figure(["rosenbrock"], n=30).data[0]
    X, Y, Z = landscapes.get("rosenbrock").mesh(30)
    assert np.allclose(np.asarray(contour.customdata), Z)
    assert np.allclose(np.asarray(contour.z), np.log1p(Z - Z.min()))


@pytest.mark.parametrize("names, error", [([], ValueError), (["bowl", "teacup"], ValueError)])
def test_gallery_refuses_bad_names(names, error):
    with pytest.raises(error, match="landscape|names"):
        lessons.gallery_figure(names)


# ---------------------------------------------------------------- probing

def test_forward_difference_error_on_the_bowl_matches_the_closed_form():
    # On w1² + w2², (L(w + h e_i) - L(w)) / h = 2 w_i + h exactly, so the error
    # vector is (h, h) and the relative error h √2 / |2w|; centred is exact.
    w = np.array([-2.0, 1.5])
    h_values = np.array([1e-1, 1e-2, 1e-3])
    _, errors = lessons.probe_errors("bowl", w, h_values)
    expected = h_values * np.sqrt(2) / np.linalg.norm(2 * w)
    assert np.allclose(errors["forward"], expected, rtol=1e-6)
    assert np.all(errors["centred"] < 1e-12)


def test_truncation_error_shrinks_like_h_forward_and_h_squared_centred():
    h_values = np.array([1e-2, 1e-3])
    _, errors = lessons.probe_errors("rosenbrock", (-1.5, 2.0), h_values)
    slopes = {method: np.log10(error[0] / error[1]) for method, error in errors.items()}
    assert slopes["forward"] == pytest.approx(1.0, abs=0.15)
    assert slopes["centred"] == pytest.approx(2.0, abs=0.15)


def test_round_off_makes_a_tiny_h_worse_than_a_moderate_one():
    h_values, errors = lessons.probe_errors("rosenbrock")
    for error in errors.values():
        assert error[0] > 100 * error.min()  # h = 1e-13 against the best h


def test_probe_errors_refuse_a_flat_point_and_bad_h():
    with pytest.raises(ValueError, match="stationary"):
        lessons.probe_errors("bowl", (0.0, 0.0))
    with pytest.raises(ValueError, match="h_values"):
        lessons.probe_errors("bowl", None, [1e-3, -1.0])


def test_probe_error_figure_marks_the_best_h_and_stays_finite():
    figure = lessons.probe_error_figure("bowl")  # centred error is 0 for some h: floored, not NaN
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    h_values, errors = lessons.probe_errors("bowl")
    best = [trace for trace in figure.data if trace.text]
    assert [trace.x[0] for trace in best] == [h_values[np.argmin(e)] for e in errors.values()]
    assert finite_traces(figure)


@pytest.mark.parametrize("method, frames", [("centred", 6), ("forward", 4)])
def test_probing_animation_has_one_frame_per_reading_and_a_play_button(method, frames):
    figure = lessons.probing_figure("rosenbrock", h=0.2, method=method)
    assert len(figure.frames) == frames
    assert figure.layout.updatemenus[0].buttons[0].method == "animate"
    assert len(figure.layout.sliders[0].steps) == frames
    assert finite_traces(figure)


def test_probing_chord_has_the_centred_slope_and_the_arrow_points_downhill():
    land = landscapes.get("rosenbrock")
    w, h = np.array([-1.5, 2.0]), 0.2
    figure = lessons.probing_figure(land, w, h, "centred")
    readings = figure.frames[2].data[4]  # probe +h then -h along w1
    chord = figure.frames[2].data[5]
    step = np.array([h, 0.0])
    assert list(readings.y) == pytest.approx([land(w + step), land(w - step)])
    slope = (chord.y[1] - chord.y[0]) / (chord.x[1] - chord.x[0])
    assert slope == pytest.approx((land(w + step) - land(w - step)) / (2 * h))
    arrow = figure.frames[-1].data[1]
    direction = np.array([arrow.x[1] - arrow.x[0], arrow.y[1] - arrow.y[0]])
    estimate = (np.array([land(w + step) - land(w - step),
                          land(w + [0, h]) - land(w - [0, h])]) / (2 * h))
    assert np.allclose(direction / np.linalg.norm(direction), -estimate / np.linalg.norm(estimate))


@pytest.mark.parametrize("kwargs, error", [({"h": 0.0}, ValueError), ({"method": "backward"}, ValueError),
                                           ({"w": (1.0,)}, ValueError), ({"h": "big"}, TypeError)])
def test_probing_refuses_bad_arguments(kwargs, error):
    with pytest.raises(error):
        lessons.probing_figure("bowl", **kwargs)


# ---------------------------------------------------------------- learning rate

def test_regimes_come_from_the_curvatures():
    assert lessons.alpha_regimes("bowl") == pytest.approx(
        {"too small": 0.025, "1/L": 0.5, "oscillating": 0.8, "diverging": 1.25})
    ravine = lessons.alpha_regimes("ravine")  # curvatures 0.5 and 10
    assert ravine["1/L"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="quadratic"):
        lessons.alpha_regimes("rosenbrock")


def test_regimes_figure_shows_each_walk_and_its_outcome():
    figure = lessons.regimes_figure("bowl", max_steps=30)
    paths = [trace for trace in figure.data if isinstance(trace, go.Scatter)]
    assert len(paths) == 4
    distances = [np.hypot(path.x[-1], path.y[-1]) / np.hypot(path.x[0], path.y[0]) for path in paths]
    assert distances[0] < 1 and distances[1] < 1e-9 and distances[2] < 1 and distances[3] > 10
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles[1].startswith("1/L: α=0.5") and "diverged" in titles[3]
    assert finite_traces(figure)


def test_sweep_diverges_beyond_two_over_l_and_settles_below():
    land = landscapes.get("ravine")
    high = land.max_curvature
    alphas = np.array([0.2, 0.5, 0.9, 1.5, 1.9, 2.5, 3.0]) / high
    sweep = lessons.alpha_sweep(land, alphas, max_steps=60)
    # Well beyond 2/L the error grows by |1 - alpha L| >= 1.5 a step: off the map in 60 steps.
    assert sweep["diverged"].tolist() == [False] * 5 + [True] * 2
    assert np.all(sweep["final_loss"][:5] < land(land.start))
    # Below 1/L a larger step is a faster descent.
    assert sweep["final_loss"][0] > sweep["final_loss"][1] > sweep["final_loss"][2]


def test_sweep_figure_marks_one_and_two_over_l():
    figure = lessons.alpha_sweep_figure("bowl", max_steps=40)
    marks = sorted(shape.x0 for shape in figure.layout.shapes)
    assert marks == pytest.approx([0.5, 1.0])
    # Annotations on a log axis are placed by log10 of the value.
    assert sorted(a.x for a in figure.layout.annotations) == pytest.approx(np.log10([0.5, 1.0]))
    settled, diverged = figure.data
    assert min(diverged.x) > 1.0 and max(settled.x) < 1.0 + 1e-9
    assert finite_traces(figure)


def test_sweep_refuses_bad_alphas():
    with pytest.raises(ValueError, match="alphas"):
        lessons.alpha_sweep("bowl", [0.1, 0.0])


# ---------------------------------------------------------------- curves, paths, race

def test_loss_curves_and_paths_draw_every_walk():
    walks = {label: run(optimizers.gradient_descent("ravine", (-2.5, 2.0), alpha), max_steps=20)
             for label, alpha in (("slow", 0.01), ("fast", 0.15))}
    curves = lessons.loss_curves_figure(walks)
    assert [trace.name.split(" (")[0] for trace in curves.data] == ["slow", "fast"]
    assert list(curves.data[1].y) == pytest.approx(walks["fast"].loss)
    paths = lessons.paths_figure("ravine", walks)
    assert len(paths.data) == 3 and list(paths.data[2].x) == pytest.approx(walks["fast"].w[:, 0])
    with pytest.raises(TypeError, match="trajectories"):
        lessons.loss_curves_figure([walks["slow"]])


def test_race_with_given_alphas_is_the_optimizers_own_walk():
    results = lessons.race("ravine", ["momentum", "adam"], max_steps=25,
                           alphas={"momentum": 0.02, "adam": 0.3})
    direct = run(optimizers.momentum("ravine", landscapes.get("ravine").start, 0.02), max_steps=25)
    assert results["momentum"][0] == 0.02
    assert np.array_equal(results["momentum"][1].w, direct.w)
    assert all(walk.n_updates == 25 for _, walk in results.values())


def test_race_tunes_each_optimizer_to_its_best_rate_on_the_grid():
    results = lessons.race("rosenbrock", ["gradient_descent"], max_steps=30)
    alpha, walk = results["gradient_descent"]
    finals = {}
    for candidate in lessons.RACE_ALPHAS:
        other = run(optimizers.gradient_descent("rosenbrock", (-1.5, 2.0), float(candidate)), max_steps=30)
        if other.stop_reason != "diverged":
            finals[float(candidate)] = other.loss[-1]
    assert walk.loss[-1] == min(finals.values())
    assert alpha in finals


def test_race_figure_and_bad_names():
    results = lessons.race("ravine", ["gradient_descent", "nesterov"], max_steps=20)
    figure = lessons.race_figure("ravine", results)
    assert len(figure.data) == 1 + 2 * 2
    assert finite_traces(figure)
    with pytest.raises(ValueError, match="optimizer"):
        lessons.race("ravine", ["gradient_ascent"])
    with pytest.raises(TypeError, match="results"):
        lessons.race_figure("ravine", {})


# ---------------------------------------------------------------- random search

@pytest.mark.parametrize("method", ["global", "local"])
def test_random_search_keeps_the_best_and_is_seeded(method):
    land = landscapes.get("himmelblau")
    best_w, curve = lessons.random_search(land, 150, seed=3, method=method)
    assert len(curve) == 150 and np.all(np.diff(curve) <= 0)
    assert land(best_w) == pytest.approx(curve[-1])
    assert np.array_equal(curve, lessons.random_search(land, 150, seed=3, method=method)[1])


def test_gradient_curve_follows_the_contraction_on_the_bowl():
    # With alpha = 0.25 on w1² + w2², each step halves w, so the loss is multiplied
    # by 1/4 per step, and each step costs 5 readings (centred differences + position).
    curves = lessons.search_vs_gradient("bowl", budget=50, alpha=0.25, gradient="numeric")
    descent = curves["gradient descent (numeric gradient)"]
    start_loss = landscapes.get("bowl")(landscapes.get("bowl").start)
    expected = np.repeat(start_loss * 0.25 ** np.arange(10), 5)
    assert np.allclose(descent, expected, rtol=1e-6)
    assert all(len(curve) == 50 for curve in curves.values())
    # With the analytic gradient a step is charged 2 evaluations: 25 points in 50.
    analytic = lessons.search_vs_gradient("bowl", budget=50, alpha=0.25)["gradient descent"]
    assert np.allclose(analytic, np.repeat(start_loss * 0.25 ** np.arange(25), 2), rtol=1e-12, atol=1e-300)
    assert finite_traces(lessons.search_vs_gradient_figure("bowl", budget=50, alpha=0.25))


def test_search_works_on_a_classifier_with_many_parameters():
    X, y = data.blobs(60, centers=3, cluster_std=2.0, seed=2)
    objective = classifier.LinearModelLoss(X, y, "cross_entropy", n_classes=3)  # 9 parameters
    best_w, curve = lessons.random_search(objective, 40, seed=1, method="local", scale=0.5)
    assert best_w.shape == (9,) and objective(best_w) == pytest.approx(curve[-1])
    assert curve[0] == pytest.approx(np.log(3))  # the local search starts at W = 0: uniform scores
    curves = lessons.search_vs_gradient(objective, budget=60)
    assert set(curves) == {"random search", "random local search", "gradient descent"}
    assert curves["gradient descent"][-1] < curves["gradient descent"][0]


def test_random_search_refuses_bad_arguments():
    with pytest.raises(ValueError, match="method"):
        lessons.random_search("bowl", method="lucky")
    with pytest.raises(TypeError, match="budget"):
        lessons.random_search("bowl", budget=2.5)


# ---------------------------------------------------------------- slices

def test_slices_through_the_saddle_follow_the_closed_form():
    # L = w1² - w2²: along (1, 0) the slice is t², along (0, 1) it is -t², along the diagonal 0.
    figure = lessons.slices_figure("saddle", (0.0, 0.0), [(1, 0), (0, 1), (1, 1)], span=1.5, n=31)
    curves = [trace for trace in figure.data if trace.xaxis == "x2"]
    t = np.asarray(curves[0].x)
    assert np.allclose(curves[0].y, t**2) and np.allclose(curves[1].y, -(t**2))
    assert np.allclose(curves[2].y, 0.0, atol=1e-12)
    lines = [trace for trace in figure.data[1:] if trace.xaxis == "x" and trace.mode == "lines"]
    assert np.allclose(lines[2].x, t / np.sqrt(2)) and np.allclose(lines[2].y, t / np.sqrt(2))


def test_slices_refuse_a_zero_direction():
    with pytest.raises(ValueError, match="direction"):
        lessons.slices_figure("bowl", directions=[(0, 0)])


# ---------------------------------------------------------------- classifier figures

@pytest.mark.parametrize("w, b", [((1.0, -0.5), 0.3), ((0.0, 2.0), -1.0), ((3.0, 0.0), 1.5),
                                  ((1.0, 1.0), 0.0)])
def test_decision_line_ends_lie_on_the_line_and_the_box(w, b):
    box = ((-4.0, 4.0), (-3.0, 3.0))
    xs, ys = lessons.decision_line(w, b, box)
    assert len(xs) == 2
    for x1, x2 in zip(xs, ys, strict=True):
        assert w[0] * x1 + w[1] * x2 + b == pytest.approx(0.0, abs=1e-9)
        on_edge = min(abs(x1 - box[0][0]), abs(x1 - box[0][1]), abs(x2 - box[1][0]), abs(x2 - box[1][1]))
        assert on_edge == pytest.approx(0.0, abs=1e-9)


def test_no_line_without_weights_or_outside_the_box():
    assert lessons.decision_line((0.0, 0.0), 1.0, ((-1, 1), (-1, 1))) == ([], [])
    assert lessons.decision_line((1.0, 0.0), -5.0, ((-1, 1), (-1, 1))) == ([], [])  # x1 = 5


def test_scoring_summary_matches_hand_computed_losses():
    # Two points on a line, w = (1, 0), b = 0: scores s = (2, -1), labels (1, 1).
    X, y = np.array([[2.0, 0.0], [-1.0, 0.0]]), np.array([1, 1])
    summary = lessons.scoring_summary(X, y, (1.0, 0.0), 0.0)
    assert summary["svm"] == pytest.approx((0.0 + 2.0) / 2)  # max(0, 1 - s) per point
    assert summary["cross_entropy"] == pytest.approx((np.log1p(np.exp(-2)) + np.log1p(np.exp(1))) / 2)
    assert summary["accuracy"] == 0.5


def test_scoring_figure_marks_mistakes_and_shows_both_losses():
    X, y = data.blobs(40, centers=[(-1.5, -1.0), (1.5, 1.0)], cluster_std=1.0, seed=1)
    figure = lessons.scoring_figure(X, y, (1.0, -0.5), 0.3)
    wrong = classifier.predict(X, np.array([1.0, -0.5]), 0.3) != y
    symbols = list(figure.data[0].marker.symbol) + list(figure.data[1].marker.symbol)
    assert symbols.count("circle-open") == wrong.sum()
    bars = figure.data[-1]
    summary = lessons.scoring_summary(X, y, (1.0, -0.5), 0.3)
    assert list(bars.y) == pytest.approx([summary["svm"], summary["cross_entropy"]])
    with pytest.raises(ValueError, match="two features"):
        lessons.scoring_figure(X[:, :1], y, (1.0, 0.0), 0.0)


def test_training_figure_draws_the_learned_line_and_both_curves():
    result = classifier.post_experiment(epochs=20)
    figure = lessons.training_figure(result)
    line = next(trace for trace in figure.data if trace.name == "decision line")
    for x1, x2 in zip(line.x, line.y, strict=True):
        assert result.W @ [x1, x2] + result.b == pytest.approx(0.0, abs=1e-9)
    curves = [trace for trace in figure.data if trace.xaxis == "x2"]
    assert list(curves[0].y) == pytest.approx(result.loss) and list(curves[1].y) == pytest.approx(
        result.squared_error)


# ---------------------------------------------------------------- minibatches

@pytest.fixture(scope="module")
def sorted_landscape():
    return classifier.sorted_landscape()


def test_sgd_runs_spend_the_same_epochs(sorted_landscape):
    runs = lessons.sgd_runs(sorted_landscape, 0.5, batch_sizes=(4, 16), epochs=3)
    assert list(runs) == ["full batch", "batch 4", "batch 16"]
    assert [per_epoch for _, per_epoch in runs.values()] == [1, 15, 4]  # ceil(60 / batch)
    assert [walk.n_updates for walk, _ in runs.values()] == [3, 45, 12]
    full, _ = runs["full batch"]
    direct = run(optimizers.gradient_descent(sorted_landscape, sorted_landscape.start, 0.5), max_steps=3)
    assert np.array_equal(full.w, direct.w)


def test_a_batch_of_everything_is_full_batch_descent(sorted_landscape):
    runs = lessons.sgd_runs(sorted_landscape, 0.5, batch_sizes=(60,), epochs=5)
    assert np.allclose(runs["batch 60"][0].w, runs["full batch"][0].w, rtol=1e-12)


def test_sgd_figure_puts_minibatch_steps_on_the_epoch_axis(sorted_landscape):
    runs = lessons.sgd_runs(sorted_landscape, 0.5, batch_sizes=(16,), epochs=2, shuffle=False)
    figure = lessons.sgd_figure(sorted_landscape, runs)
    curve = [trace for trace in figure.data if trace.xaxis == "x2"][1]
    assert list(curve.x) == pytest.approx(np.arange(9) / 4)
    assert figure.layout.xaxis.title.text == "w" and figure.layout.yaxis.title.text == "b"
    steps = lessons.sgd_figure(sorted_landscape, runs, x="steps")
    assert list([t for t in steps.data if t.xaxis == "x2"][1].x) == list(range(9))


def test_sgd_needs_data():
    with pytest.raises(ValueError, match="has_data"):
        lessons.sgd_runs("bowl", 0.1)


def test_probing_loss_panel_holds_every_frame():
    # Animation frames do not rescale axes, so the right panel's ranges are fixed to fit them all.
    figure = lessons.probing_figure("rosenbrock", h=0.3, method="forward")
    low, high = figure.layout.yaxis2.range
    assert tuple(figure.layout.xaxis2.range) == pytest.approx((-0.75, 0.75))
    for frame in figure.frames[:-1]:
        section = frame.data[3]
        assert low <= min(section.y) and max(section.y) <= high
