"""The lesson figures draw the experiments' results: finite data in every trace, bad input refused."""

import numpy as np
import plotly.graph_objects as go
import pytest

from gdviz import classifier, data, experiments, figures, landscapes, linear, optimizers, run
from gdviz.figures import theme


def finite_traces(figure):
    """Every numeric array in every trace (and frame) is finite: NaN never reaches a trace."""
    traces = list(figure.data) + [trace for frame in figure.frames for trace in frame.data]
    for trace in traces:
        for key in ("x", "y", "z"):
            values = getattr(trace, key, None)
            if values is not None and len(values):
                assert np.all(np.isfinite(np.asarray(values, dtype=float))), (trace.name, key)
    return True


def test_gallery_has_one_map_per_landscape_with_minima_and_start():
    figure = figures.gallery_figure()
    contours = [trace for trace in figure.data if isinstance(trace, go.Contour)]
    assert len(contours) == len(landscapes.names())
    titles = [annotation.text for annotation in figure.layout.annotations]
    for name in landscapes.names():
        land = landscapes.get(name)
        assert any(title.startswith(f"<b>{name}</b><br>") and title.endswith(theme.wrap(land.formula, 30))
                   for title in titles)
    starts = [trace for trace in figure.data if trace.name == "Chad's start"]
    assert [tuple(trace.x + trace.y) for trace in starts] == [
        tuple(landscapes.get(name).start) for name in landscapes.names()]
    assert finite_traces(figure)


def test_gallery_colours_by_log_loss_but_hovers_the_true_loss():
    contour = figures.gallery_figure(["rosenbrock"], n=30).data[0]
    X, Y, Z = landscapes.get("rosenbrock").mesh(30)
    assert np.allclose(np.asarray(contour.customdata), Z)
    assert np.allclose(np.asarray(contour.z), np.log1p(Z - Z.min()))


@pytest.mark.parametrize("names, error", [([], ValueError), (["bowl", "teacup"], ValueError)])


def test_gallery_refuses_bad_names(names, error):
    with pytest.raises(error, match="landscape|names"):
        figures.gallery_figure(names)


def test_probe_error_figure_marks_the_best_h_and_stays_finite():
    probe = experiments.probe_errors("bowl")
    figure = figures.probe_error_figure(probe)  # centred error is 0 for some h: floored, not NaN
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    best = [trace for trace in figure.data if trace.text]
    assert [trace.x[0] for trace in best] == [probe.h_values[np.argmin(e)] for e in probe.errors.values()]
    assert finite_traces(figure)


@pytest.mark.parametrize("method, frames", [("centred", 6), ("forward", 4)])


def test_probing_animation_has_one_frame_per_reading_and_a_play_button(method, frames):
    figure = figures.probing_figure(experiments.probing("rosenbrock", h=0.2, method=method))
    assert len(figure.frames) == frames
    assert figure.layout.updatemenus[0].buttons[0].method == "animate"
    assert len(figure.layout.sliders[0].steps) == frames
    assert finite_traces(figure)


def test_probing_chord_has_the_centred_slope_and_the_arrow_points_downhill():
    land = landscapes.get("rosenbrock")
    w, h = np.array([-1.5, 2.0]), 0.2
    figure = figures.probing_figure(experiments.probing(land, w, h, "centred"))
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
        experiments.probing("bowl", **kwargs)


def test_builders_refuse_anything_but_their_result():
    with pytest.raises(TypeError, match="Probing that experiments.probing"):
        figures.probing_figure("bowl")
    with pytest.raises(TypeError, match="RegimeWalks that experiments.regime_walks"):
        figures.regimes_figure({"a": (0.1, None)})


def test_regimes_figure_shows_each_walk_and_its_outcome():
    figure = figures.regimes_figure(experiments.regime_walks("bowl", max_steps=30))
    paths = [trace for trace in figure.data if isinstance(trace, go.Scatter)]
    assert len(paths) == 4
    distances = [np.hypot(path.x[-1], path.y[-1]) / np.hypot(path.x[0], path.y[0]) for path in paths]
    assert distances[0] < 1 and distances[1] < 1e-9 and distances[2] < 1 and distances[3] > 10
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles[1].startswith("1/L: α=0.5") and "diverged" in titles[3]
    assert finite_traces(figure)


def test_sweep_figure_marks_one_and_two_over_l():
    figure = figures.alpha_sweep_figure(experiments.alpha_sweep("bowl", max_steps=40))
    marks = sorted(shape.x0 for shape in figure.layout.shapes)
    assert marks == pytest.approx([0.5, 1.0])
    # Annotations on a log axis are placed by log10 of the value.
    assert sorted(a.x for a in figure.layout.annotations) == pytest.approx(np.log10([0.5, 1.0]))
    settled, diverged = figure.data
    assert min(diverged.x) > 1.0 and max(settled.x) < 1.0 + 1e-9
    assert finite_traces(figure)


def test_loss_curves_and_paths_draw_every_walk():
    walks = {label: run(optimizers.gradient_descent("ravine", (-2.5, 2.0), alpha), max_steps=20)
             for label, alpha in (("slow", 0.01), ("fast", 0.15))}
    curves = figures.loss_curves_figure(walks)
    assert [trace.name.split(" (")[0] for trace in curves.data] == ["slow", "fast"]
    assert list(curves.data[1].y) == pytest.approx(walks["fast"].loss)
    paths = figures.paths_figure("ravine", walks)
    assert len(paths.data) == 3 and list(paths.data[2].x) == pytest.approx(walks["fast"].w[:, 0])
    with pytest.raises(TypeError, match="trajectories"):
        figures.loss_curves_figure([walks["slow"]])


def test_gradient_curve_follows_the_contraction_on_the_bowl():
    # With alpha = 0.25 on w1² + w2², each step halves w, so the loss is multiplied
    # by 1/4 per step, and each step costs 5 readings (centred differences + position).
    curves = experiments.search_vs_gradient("bowl", budget=50, alpha=0.25, gradient="numeric")
    descent = curves["gradient descent (numeric gradient)"]
    start_loss = landscapes.get("bowl")(landscapes.get("bowl").start)
    expected = np.repeat(start_loss * 0.25 ** np.arange(10), 5)
    assert np.allclose(descent, expected, rtol=1e-6)
    assert all(len(curve) == 50 for curve in curves.values())
    # With the analytic gradient a step is charged 2 evaluations: 25 points in 50.
    analytic = experiments.search_vs_gradient("bowl", budget=50, alpha=0.25)["gradient descent"]
    assert np.allclose(analytic, np.repeat(start_loss * 0.25 ** np.arange(25), 2), rtol=1e-12, atol=1e-300)
    assert finite_traces(figures.search_vs_gradient_figure(curves))


def test_slices_through_the_saddle_follow_the_closed_form():
    # L = w1² - w2²: along (1, 0) the slice is t², along (0, 1) it is -t², along the diagonal 0.
    figure = figures.slices_figure(experiments.slices("saddle", (0.0, 0.0), [(1, 0), (0, 1), (1, 1)],
                                                      span=1.5, n=31))
    curves = [trace for trace in figure.data if trace.xaxis == "x2"]
    t = np.asarray(curves[0].x)
    assert np.allclose(curves[0].y, t**2) and np.allclose(curves[1].y, -(t**2))
    assert np.allclose(curves[2].y, 0.0, atol=1e-12)
    lines = [trace for trace in figure.data[1:] if trace.xaxis == "x" and trace.mode == "lines"]
    assert np.allclose(lines[2].x, t / np.sqrt(2)) and np.allclose(lines[2].y, t / np.sqrt(2))


def test_slices_refuse_a_zero_direction():
    with pytest.raises(ValueError, match="direction"):
        experiments.slices("bowl", directions=[(0, 0)])


def test_scoring_figure_marks_mistakes_and_shows_both_losses():
    X, y = data.blobs(40, centers=[(-1.5, -1.0), (1.5, 1.0)], cluster_std=1.0, seed=1)
    summary = experiments.scoring_summary(X, y, (1.0, -0.5), 0.3)
    figure = figures.scoring_figure(summary)
    wrong = linear.predict(X, np.array([1.0, -0.5]), 0.3) != y
    symbols = list(figure.data[0].marker.symbol) + list(figure.data[1].marker.symbol)
    assert symbols.count("circle-open") == wrong.sum()
    bars = figure.data[-1]
    assert list(bars.y) == pytest.approx([summary["svm"], summary["cross_entropy"]])
    with pytest.raises(ValueError, match="two features"):
        figures.scoring_figure(experiments.scoring_summary(X[:, :1], y, (1.0,), 0.0))


def test_training_figure_draws_the_learned_line_and_both_curves():
    result = classifier.post_experiment(epochs=20)
    figure = figures.training_figure(result)
    line = next(trace for trace in figure.data if trace.name == "decision line")
    for x1, x2 in zip(line.x, line.y, strict=True):
        assert result.W @ [x1, x2] + result.b == pytest.approx(0.0, abs=1e-9)
    curves = [trace for trace in figure.data if trace.xaxis == "x2"]
    assert list(curves[0].y) == pytest.approx(result.loss) and list(curves[1].y) == pytest.approx(
        result.squared_error)


@pytest.fixture(scope="module")
def sorted_landscape():
    return classifier.sorted_landscape()


def test_sgd_figure_puts_minibatch_steps_on_the_epoch_axis(sorted_landscape):
    runs = experiments.sgd_runs(sorted_landscape, 0.5, batch_sizes=(16,), epochs=2, shuffle=False)
    figure = figures.sgd_figure(runs)
    curve = [trace for trace in figure.data if trace.xaxis == "x2"][1]
    assert list(curve.x) == pytest.approx(np.arange(9) / 4)
    assert figure.layout.xaxis.title.text == "w" and figure.layout.yaxis.title.text == "b"
    steps = figures.sgd_figure(runs, x="steps")
    assert list([t for t in steps.data if t.xaxis == "x2"][1].x) == list(range(9))


def test_probing_loss_panel_holds_every_frame():
    # Animation frames do not rescale axes, so the right panel's ranges are fixed to fit them all.
    figure = figures.probing_figure(experiments.probing("rosenbrock", h=0.3, method="forward"))
    low, high = figure.layout.yaxis2.range
    assert tuple(figure.layout.xaxis2.range) == pytest.approx((-0.75, 0.75))
    for frame in figure.frames[:-1]:
        section = frame.data[3]
        assert low <= min(section.y) and max(section.y) <= high
