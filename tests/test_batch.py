"""Walks in batches: run_batch equals run walk for walk, bit for bit, on every course."""

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdviz
from gdviz import STOP_REASONS, batch, landscapes, optimizers

unit = st.floats(0.0, 1.0)


def alone(optimizer, landscape, start, settings_, **conditions):
    """Walk one start through its generator and `run`: what the batch must give for that walk."""
    return gdviz.run(optimizers.get(optimizer)(landscape, start, **settings_), **conditions)


def assert_same_walks(result, optimizer, landscape, starts, **conditions):
    """Each walk of the batch is exactly the walk `run` gives alone; its padding repeats its last point."""
    for i, start in enumerate(starts):
        settings_ = {name: float(values[i]) for name, values in result.settings.items()}
        expected, got = alone(optimizer, landscape, start, settings_, **conditions), result.trajectory(i)
        where = f"walk {i} of {optimizer} on {landscape.name}, start {start.tolist()}, {settings_}"
        assert got.stop_reason == expected.stop_reason, where
        assert len(got) == len(expected) == result.length[i], where
        for name in ("w", "loss", "grad", "t"):
            assert np.array_equal(getattr(got, name), getattr(expected, name)), f"{where}: {name}"
        assert got.state.keys() == expected.state.keys(), where
        for key, value in expected.state.items():
            assert np.array_equal(got.state[key], value), f"{where}: state {key}"
        k = result.length[i]
        assert np.all(result.w[i, k:] == result.w[i, k - 1])
        assert np.all(result.loss[i, k:] == result.loss[i, k - 1])
        assert result.final_loss[i] == expected.loss[-1]
    for array in (result.w, result.loss, result.grad, *result.state.values()):
        assert np.all(np.isfinite(array))


@st.composite
def walks(draw, optimizer, landscape):
    """1 to 5 starts inside the domain, each with its own alpha (1e-5 to 10, many diverge) and betas."""
    n = draw(st.integers(1, 5))
    (xmin, xmax), (ymin, ymax) = landscape.domain
    starts = np.array([[xmin + draw(unit) * (xmax - xmin), ymin + draw(unit) * (ymax - ymin)]
                       for _ in range(n)])
    settings_ = {"alpha": np.power(10.0, [draw(st.floats(-5.0, 1.0)) for _ in range(n)])}
    for name in optimizers.hyperparameters(optimizer):
        if name.startswith("beta"):
            settings_[name] = np.array([draw(st.floats(0.0, 0.9999)) for _ in range(n)])
    return starts, settings_


# Each condition sometimes off, so that many walks run long; 1e300: a diverging walk overflows
# (its last step is dropped) before it escapes, 10: some starts are already out (Rastrigin's).
conditions = st.fixed_dictionaries({
    "max_steps": st.integers(0, 100),
    "loss_below": st.none() | st.floats(-1.0, 0.01),
    "grad_below": st.none() | st.floats(0.0, 0.1),
    "patience": st.none() | st.integers(1, 50),
    "min_delta": st.sampled_from([0.0, 1e-6, 1e-2]),
    "escape_radius": st.sampled_from([1e3, 10.0, 1e300]),
})


@pytest.mark.parametrize("course", landscapes.names())
@pytest.mark.parametrize("optimizer", batch.OPTIMIZERS)
@settings(max_examples=40, deadline=None)
@given(data=st.data(), conditions_=conditions)
def test_a_batch_is_run_walk_for_walk(course, optimizer, data, conditions_):
    landscape = landscapes.get(course)
    starts, settings_ = data.draw(walks(optimizer, landscape))
    result = gdviz.run_batch(optimizer, course, starts, **conditions_, **settings_)
    assert len(result) == len(starts) and result.w.shape == (len(starts), conditions_["max_steps"] + 1, 2)
    assert_same_walks(result, optimizer, landscape, starts, **conditions_)


def test_every_stop_reason_in_one_batch_as_run_gives_it():
    bowl = landscapes.get("bowl")
    starts = np.array([[-2.0, 1.5]] * 4 + [[2e3, 0.0]])  # the last starts beyond escape_radius
    alphas = [0.01, 0.5, 0.1, 1e-5, 0.1]
    conditions_ = {"max_steps": 40, "loss_below": 1e-3, "patience": 3, "min_delta": 1e-3, "grad_below": 0.5}
    result = gdviz.run_batch("gradient_descent", "bowl", starts, alpha=alphas, **conditions_)
    assert result.stop_reason.tolist() == ["max_steps", "loss_below", "grad_below", "no_improvement",
                                           "diverged"]
    assert set(result.stop_reason) == set(STOP_REASONS)
    assert_same_walks(result, "gradient_descent", bowl, starts, **conditions_)


def test_an_overflowing_walk_drops_its_last_step_and_an_escaping_one_keeps_it():
    rosenbrock = landscapes.get("rosenbrock")
    starts = np.array([[-1.5, 2.0], [-1.5, 2.0]])
    for radius in (1e3, 1e300):
        result = gdviz.run_batch("momentum", rosenbrock, starts, alpha=[0.01, 1e-4], max_steps=200,
                                 escape_radius=radius)
        assert result.stop_reason.tolist() == ["diverged", "max_steps"]
        assert_same_walks(result, "momentum", rosenbrock, starts, max_steps=200, escape_radius=radius)
        last = result.w[0, result.length[0] - 1]
        assert (np.linalg.norm(last) > radius) == (radius == 1e3)


def test_settings_are_one_number_or_one_per_walk_and_defaults_fill_in():
    starts = np.array([[-2.0, 1.5], [1.0, 1.0], [0.5, -2.0]])
    result = gdviz.run_batch("adam", "ravine", starts, alpha=0.1, beta1=[0.5, 0.8, 0.9], max_steps=20)
    given = {name: values.tolist() for name, values in result.settings.items()}
    assert given == {"alpha": [0.1] * 3, "beta1": [0.5, 0.8, 0.9], "beta2": [0.999] * 3, "eps": [1e-8] * 3}
    assert_same_walks(result, "adam", landscapes.get("ravine"), starts, max_steps=20)


def test_the_docstring_example_runs():
    assert doctest.testmod(batch).failed == 0


START = [[-2.0, 1.5]]
BAD_CALLS = [
    ({"optimizer": "sgd"}, ValueError, "optimizer must be one of 'gradient_descent', .*'newton'; got 'sgd'"),
    ({"optimizer": "line_search"}, ValueError, "run_batch cannot walk 'line_search': .* with gdviz.run"),
    ({"gradient": "numeric"}, ValueError, "gradient must be one of 'analytic'; got 'numeric'"),
    ({"landscape": "moon"}, ValueError, "landscape must be one of 'bowl'"),
    ({"starts": [1.0, 2.0]}, ValueError, r"starts must be points of two numbers, shape \(n, 2\)"),
    ({"starts": np.zeros((0, 2))}, ValueError, r"starts must be points .* got shape \(0, 2\)"),
    ({"starts": [[np.nan, 0.0]]}, ValueError, "starts must be finite numbers"),
    ({"starts": [["a", "b"]]}, TypeError, "starts must be points of two numbers"),
    ({"alpha": -0.1}, ValueError, "alpha must be a finite number > 0, got -0.1"),
    ({"alpha": [0.1, 0.0]}, ValueError, "alpha must be a finite number > 0, got 0.0"),
    ({"alpha": [0.1, 0.2]}, ValueError, r"alpha must be one number or 1, one per walk; got shape \(2,\)"),
    ({"alpha": "0.1"}, TypeError, "alpha must be a real number, got '0.1'"),
    ({"alpha": True}, TypeError, "alpha must be a real number"),
    ({"beta": 1.0}, ValueError, r"beta must be in \[0, 1\), got 1.0"),
    ({"gamma": 0.5}, TypeError, r"momentum has no setting \['gamma'\]; its settings: alpha, beta"),
    ({"max_steps": -1}, ValueError, "max_steps must be an integer >= 0"),
    ({"patience": 0}, ValueError, "patience must be an integer >= 1"),
    ({"escape_radius": 0.0}, ValueError, "escape_radius must be a finite number > 0"),
]


@pytest.mark.parametrize("change, error, words", BAD_CALLS)
def test_bad_input_is_named(change, error, words):
    call = {"optimizer": "momentum", "landscape": "bowl", "starts": START, "alpha": 0.1, **change}
    with pytest.raises(error, match=words):
        gdviz.run_batch(**call)


def test_alpha_is_required():
    with pytest.raises(TypeError, match="adam needs alpha"):
        gdviz.run_batch("adam", "bowl", START)


def test_a_start_where_the_loss_overflows_is_refused_as_run_refuses_it():
    with pytest.raises(ValueError, match=r"first step of walks \[1\] is already not finite"):
        gdviz.run_batch("gradient_descent", "rosenbrock", [[0.0, 0.0], [1e100, 0.0]], alpha=0.1)
    with pytest.raises(ValueError, match="first step is already not finite"):
        alone("gradient_descent", "rosenbrock", (1e100, 0.0), {"alpha": 0.1})
