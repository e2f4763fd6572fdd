"""Chad's sensor: finite differences against known derivatives."""

import numpy as np
import pytest

from gdviz.gradients import VERDICTS, gradient_check, numeric_gradient, verdict


def cubic(w):
    w = np.asarray(w, dtype=float)
    return float(np.sum(w ** 3) + w[0] * w[-1])


def cubic_grad(w):
    w = np.asarray(w, dtype=float)
    grad = 3 * w ** 2
    grad[0] += w[-1]
    grad[-1] += w[0]
    return grad


def test_centred_differences_match_the_derivative():
    w = np.array([0.5, -1.2, 2.0])
    np.testing.assert_allclose(numeric_gradient(cubic, w), cubic_grad(w), rtol=1e-8)


def test_centred_differences_are_exact_on_a_quadratic_up_to_round_off():
    def bowl(w):
        return float(w[0] ** 2 + 3 * w[1] ** 2)

    np.testing.assert_allclose(numeric_gradient(bowl, [1.0, -2.0], h=0.5), [2.0, -12.0], rtol=1e-12)


def test_forward_error_shrinks_like_h_and_centred_like_h_squared():
    w = np.array([0.7])

    def error(method, h):
        return abs(numeric_gradient(lambda v: float(np.exp(v[0])), w, h=h, method=method)[0] - np.exp(0.7))

    # Halving h halves the forward error and quarters the centred error.
    assert error("forward", 1e-2) / error("forward", 5e-3) == pytest.approx(2.0, rel=0.02)
    assert error("centered", 1e-2) / error("centered", 5e-3) == pytest.approx(4.0, rel=0.02)


def test_too_small_h_drowns_in_round_off():
    w = np.array([0.7])
    good = abs(numeric_gradient(lambda v: float(np.exp(v[0])), w, h=1e-5)[0] - np.exp(0.7))
    tiny = abs(numeric_gradient(lambda v: float(np.exp(v[0])), w, h=1e-14)[0] - np.exp(0.7))
    assert tiny > 1000 * good


@pytest.mark.parametrize("shape, centred, forward", [((2,), 4, 3), ((3,), 6, 4), ((3, 2), 12, 7)])
def test_counts_loss_readings(shape, centred, forward):
    calls = []

    def loss(w):
        calls.append(1)
        return float(np.sum(w ** 2))

    w = np.ones(shape)
    grad, readings = numeric_gradient(loss, w, return_evaluations=True)
    assert grad.shape == shape and readings == centred == len(calls)
    calls.clear()
    _, readings = numeric_gradient(loss, w, method="forward", return_evaluations=True)
    assert readings == forward == len(calls)


def test_numeric_gradient_leaves_the_point_alone():
    w = np.array([1.0, 2.0])
    numeric_gradient(cubic, w)
    np.testing.assert_array_equal(w, [1.0, 2.0])


def test_gradient_check_tells_right_from_wrong():
    w = np.array([0.3, -0.8, 1.1])
    right = gradient_check(cubic, cubic_grad, w)
    assert right.relative_error < 1e-7 and right.verdict.startswith("excellent")
    wrong = gradient_check(cubic, lambda v: 3 * np.asarray(v) ** 2, w)  # forgets the cross term
    assert wrong.relative_error > 1e-2 and wrong.verdict.startswith("wrong")
    assert float(wrong) == wrong.relative_error


def test_verdicts_cover_the_usual_bands():
    assert verdict(1e-9).startswith("excellent")
    assert verdict(1e-5).startswith("fine")
    assert verdict(1e-3).startswith("suspicious")
    assert verdict(0.5).startswith("wrong")
    assert verdict(float("nan")).startswith("wrong")
    assert [upper for upper, _ in VERDICTS] == sorted(upper for upper, _ in VERDICTS)


def test_gradient_check_at_a_flat_point_is_zero_not_nan():
    assert gradient_check(lambda w: 0.0, lambda w: np.zeros(2), [1.0, 1.0]).relative_error == 0.0


@pytest.mark.parametrize("kwargs, error, words", [
    ({"h": 0.0}, ValueError, "h must be a finite number > 0"),
    ({"h": float("inf")}, ValueError, "h must be finite"),
    ({"method": "backward"}, ValueError, "method must be one of 'centered', 'forward'"),
])
def test_bad_arguments_name_themselves(kwargs, error, words):
    with pytest.raises(error, match=words):
        numeric_gradient(cubic, [1.0, 2.0], **kwargs)


def test_centred_spelling_is_accepted():
    np.testing.assert_array_equal(numeric_gradient(cubic, [1.0, 2.0], method="centred"),
                                  numeric_gradient(cubic, [1.0, 2.0], method="centered"))
