"""Exercises on training in the open (08): a model's decision boundary, one epoch of the post's loop, what
scaling does to curvature."""

import math

import numpy as np

from .. import _checks, classifier, data, theory
from ..experiments import training
from ._verdict import _read_number, _real_array, _right, _wrong

__all__ = ["GRADIENT_SLIPS", "check_curvature_factor", "check_decision_boundary", "check_train_epoch"]


def _epoch_cases():
    """(X, y, W, alpha) to try: the post's 250 points, then 60 others (a different N), from random starts."""
    rng = np.random.default_rng(1)
    post = data.blobs(250, centers=2, cluster_std=1.05, seed=0, n_features=2)
    other = data.blobs(60, centers=2, cluster_std=2.0, seed=5, n_features=2)
    return [(*post, rng.uniform(0.0, 1.0, 3), 0.01), (*other, rng.normal(0.0, 0.5, 3), 0.05)]


# ---------------------------------------------------------------- slips in the gradient
#
# The loop descends the log loss: with X~ = [X, 1] and p = sigmoid(X~ W), its gradient is X~^T (p - y) / N.
# Each slip below is a gradient a student computes instead, written out; when the student's step is alpha
# times one of them, the checker names the slip. Most come from the squared error, whose gradient students
# remember and whose value the post's script prints. Every hint is tested in tests/test_exercises.py.


def _residuals(X_tilde, y, W):
    return theory.sigmoid(X_tilde @ W) - y


def _gradient_with_a_two(X_tilde, y, W):
    return 2 * X_tilde.T @ _residuals(X_tilde, y, W) / len(y)


def _gradient_target_minus_prediction(X_tilde, y, W):
    return X_tilde.T @ (y - theory.sigmoid(X_tilde @ W)) / len(y)


def _gradient_summed(X_tilde, y, W):
    return X_tilde.T @ _residuals(X_tilde, y, W)


def _gradient_without_x(X_tilde, y, W):
    return np.full(X_tilde.shape[1], np.mean(_residuals(X_tilde, y, W)))


def _gradient_of_squared_error(X_tilde, y, W):
    p = theory.sigmoid(X_tilde @ W)
    return 2 * X_tilde.T @ ((p - y) * p * (1 - p)) / len(y)


def _gradient_of_half_squared_error(X_tilde, y, W):
    return _gradient_of_squared_error(X_tilde, y, W) / 2


def _gradient_of_squared_error_of_scores(X_tilde, y, W):
    return 2 * X_tilde.T @ (X_tilde @ W - y) / len(y)


def _gradient_without_sigmoid(X_tilde, y, W):
    return X_tilde.T @ (X_tilde @ W - y) / len(y)


_SQUARED_ERROR = ("that is the gradient of the squared error mean (p - y)^2, the loss the post's script "
                  "prints, with the sigmoid's slope p (1 - p) in it; the loop descends the log loss, whose "
                  "gradient is X^T (p - y) / N: there the p (1 - p) cancels")
_NO_SIGMOID = ("your p is the raw score X W, as in a linear regression's squared error; this model predicts "
               "p = sigmoid(X W), a probability, and the gradient is X^T (p - y) / N")

GRADIENT_SLIPS = (
    (_gradient_with_a_two, "your step is twice the right one: the factor 2 belongs to the derivative of a "
                           "square, (p - y)^2; the log loss's gradient X^T (p - y) / N has no 2"),
    (_gradient_target_minus_prediction,
     "you stepped uphill: the residual is p - y, prediction minus target; with y - p (or with a plus sign "
     "in the update) the step turns round. Keep p - y and subtract alpha * gradient"),
    (_gradient_summed, "your step is N = {n} times too long: you summed over the examples, but the loss is "
                       "their mean; divide X^T (p - y) by N, the number of examples"),
    (_gradient_without_x,
     "every number in W moved by the same amount, alpha * mean(p - y): that is the bias's gradient alone. "
     "The gradient for weight j multiplies each example's residual by its feature x_j: X^T (p - y) / N, "
     "a product with X and its column of ones"),
    (_gradient_of_squared_error, _SQUARED_ERROR),
    (_gradient_of_half_squared_error, _SQUARED_ERROR),
    (_gradient_of_squared_error_of_scores, _NO_SIGMOID),
    (_gradient_without_sigmoid, _NO_SIGMOID),
)


def _reference(X, y, W, alpha, epochs=1):
    """W after `epochs` epochs of `classifier.train`: full-batch descent on the log loss, bias trick."""
    result = classifier.train(X, y, loss="log_loss", optimizer="gradient_descent", alpha=alpha, epochs=epochs,
                              start=W, bias_trick=True)
    return result.trajectory.w[-1]


def _call(student, X, y, W, alpha):
    """The student's new W as a float array, or a Verdict saying what went wrong."""
    try:
        new = student(X.copy(), y.copy(), W.copy(), alpha)
    except Exception as error:  # the student's code: report, never raise
        text = f"{type(error).__name__}: {error}"
        shapes = any(word in str(error) for word in ("mismatch", "shape", "align"))
        if isinstance(error, ValueError) and shapes:
            return _wrong(f"{text}. X has {X.shape[1]} columns and W has {len(W)} numbers: append a column "
                          "of ones to X (the bias trick), so that the last number of W is the bias b")
        return _wrong(f"your function raised {text}")
    if new is None:
        return _wrong("your function returned None: return the new W")
    returned, new = new, _real_array(new)
    if new is None:
        return _wrong(f"your function returned {returned!r}; return the new W, {len(W)} real numbers")
    if new.shape != W.shape:
        hint = " (the bias b is the last of them: did you drop it?)" if new.size == W.size - 1 else ""
        return _wrong(f"your new W has shape {new.shape}; it should have {len(W)} numbers, like W{hint}")
    return new


def _diagnose(student, X, y, W, alpha, new, expected):
    """A hint for the named mistakes, from the step the student took against the right one."""
    n = len(y)
    step, right = W - new, W - expected  # alpha times the gradient used, and the right one
    ones_first = np.column_stack([np.ones(n), X])
    if np.allclose(new, W, rtol=1e-12, atol=0):
        return "W did not change: return W - alpha * gradient"
    ones_last = np.column_stack([X, np.ones(n)])
    for slip, hint in GRADIENT_SLIPS:
        if np.allclose(step, alpha * slip(ones_last, y, W), rtol=1e-6, atol=1e-15):
            return hint.format(n=n)
    scale = float(step @ right / (right @ right))  # the step as a multiple of the right one, if it is one
    if np.allclose(step, scale * right, rtol=1e-6, atol=1e-15):
        # (Stepping uphill, x -1, and a sum for the mean, x N, are among GRADIENT_SLIPS above.)
        if math.isclose(scale, 1 / n, rel_tol=1e-6):
            return f"your step is N = {n} times too short: divide X^T (p - y) by N once, not twice"
        if math.isclose(n / scale, round(n / scale), rel_tol=1e-6):
            return (f"on these {n} examples your step is {scale:.3g} times the right one: divide by "
                    f"N = len(y), not a fixed number")
        return f"your step is {scale:.3g} times the right one: the step is alpha times the gradient"
    swapped = alpha * ones_first.T @ (theory.sigmoid(ones_first @ W) - y) / n
    if np.allclose(step, swapped, rtol=1e-6, atol=1e-15):
        return "your column of ones comes first; the bias is the LAST number of W: append the ones at the end"
    if np.allclose(step[:-1], right[:-1], rtol=1e-6, atol=1e-15) and math.isclose(new[-1], W[-1],
                                                                                    abs_tol=1e-15):
        return ("the weights moved but the bias did not: with the column of ones in X, the gradient's last "
                "entry is mean(p - y), and b moves with it")
    moved = _call(student, X, y, W + 0.5, alpha)  # another W: the step must change with it
    if isinstance(moved, np.ndarray) and np.allclose((W + 0.5) - moved, step, rtol=1e-9, atol=1e-15):
        return ("your step does not depend on the W passed in: compute p = sigmoid(X W) from that W, not "
                "from a W (or a p) left over from the loop above")
    return (f"from W = {np.round(W, 4).tolist()} with alpha = {alpha:g} on {n} examples, your new W is "
            f"{np.round(new, 6).tolist()}, the right one {np.round(expected, 6).tolist()}; check "
            "p = sigmoid(X W) and the gradient X^T (p - y) / N")


def check_train_epoch(student, epochs=5):
    """Check `student(X, y, W, alpha)`: one epoch of the post's loop, returning the new W.

    X (N, d) holds the features without the column of ones; W holds d weights
    and then the bias b; y the labels 0 and 1. One epoch of full-batch descent
    is one update, W - alpha X~^T (sigmoid(X~ W) - y) / N with X~ = [X, 1].
    Compared with `classifier.train` on two data sets (N = 250 and N = 60),
    for one epoch and then for `epochs` epochs in a row (relative tolerance 1e-9).
    A wrong step is compared with the slips of `GRADIENT_SLIPS` (a factor 2,
    y - p for p - y, a sum for the mean, x left out, the squared error's
    gradient, no sigmoid), then with a few more (the ones first, a bias that
    stays, a p from another W), and the one it matches is named.
    """
    if not callable(student):
        return _wrong(f"pass your function itself (no parentheses), got {student!r}")
    for X, y, W, alpha in _epoch_cases():
        new = _call(student, X, y, W, alpha)
        if not isinstance(new, np.ndarray):
            return new
        expected = _reference(X, y, W, alpha)
        if not np.allclose(new, expected, rtol=1e-9, atol=1e-12):
            return _wrong(_diagnose(student, X, y, W, alpha, new, expected))
        walked = W
        for _ in range(epochs):
            walked = _call(student, X, y, walked, alpha)
            if not isinstance(walked, np.ndarray):
                return walked
        if not np.allclose(walked, _reference(X, y, W, alpha, epochs), rtol=1e-9, atol=1e-12):
            return _wrong(f"one epoch is right, {epochs} in a row are not: does your function keep something "
                          "from one call to the next?")
    return _right(f"your epoch matches classifier.train on 250 and on 60 examples, for 1 and {epochs} "
                  "epochs.")


class _NotAsked:
    """The default of a question a checker may leave out; distinct from a student's None."""

    def __repr__(self):
        return "not asked"


_NOT_ASKED = _NotAsked()


def check_curvature_factor(answer, factor=10.0, rate_factor=_NOT_ASKED):
    """By what factor is the log loss's curvature along w at w = b = 0 multiplied when every x is?
    And, if `rate_factor` is given, by what factor does the largest safe rate 2/L change?

    There every p is 1/2, so H_ww = mean(x^2) / 4: multiplying x by c
    multiplies it by c^2. Checked against `experiments.log_loss_hessian` on
    the default one-feature data, coded both ways (relative tolerance 1e-3).
    L is the Hessian's largest eigenvalue there, so 2/L changes by the ratio of
    the two largest eigenvalues (about 1/c^2 once H_ww dominates; 2 % tolerance).
    """
    x, y = classifier.default_landscape_data()
    before, after = (training.log_loss_hessian(scale * x, y, 0.0, 0.0) for scale in (1.0, factor))
    expected = after[0, 0] / before[0, 0]
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if not math.isclose(value, expected, rel_tol=1e-3):
        return _wrong(_curvature_hint(value, expected, factor))
    if rate_factor is _NOT_ASKED:
        return _right(f"H_ww = mean(x^2)/4 grows {expected:.4g} times, so a rate safe before must shrink "
                      "about that much (2/L), while the curvature along b stays: the bowl becomes a ravine.")
    rate_expected = np.linalg.eigvalsh(before).max() / np.linalg.eigvalsh(after).max()
    rate, problem = _read_number(rate_factor)
    if problem is not None:
        fix = problem.message.removeprefix("Not yet: ")
        return _wrong(f"the curvature factor is right; now the rate: {fix}")
    if math.isclose(rate, rate_expected, rel_tol=0.02):
        return _right(f"H_ww grows {expected:.4g} times; L, the largest curvature, grows with it, so 2/L "
                      f"shrinks to {rate_expected:.4g} of what it was, while the curvature along b stays: "
                      "the bowl becomes a ravine.")
    if rate > 0 and math.isclose(1 / rate, rate_expected, rel_tol=0.02):
        return _wrong("the curvature factor is right, but the rate goes the other way: a larger L means a "
                      "smaller 2/L")
    return _wrong(f"the curvature factor is right; 2/L changes by one over the change of L, the largest "
                  f"curvature, which grew about {1 / rate_expected:.3g} times")


def _curvature_hint(value, expected, factor):
    """What a wrong curvature factor most likely means."""
    if math.isclose(value, factor, rel_tol=1e-3):
        return f"x appears twice in x^2: multiplying x by {factor:g} multiplies x^2 by more"
    if value > 0 and math.isclose(1 / value, expected, rel_tol=1e-3):
        return "upside down: larger x make the loss change faster along w, so the curvature grows"
    if math.isclose(value, 1.0, rel_tol=1e-3):
        return ("that is the curvature along b (its entry is mean(p (1 - p)) = 1/4, whatever x is); "
                "the entry along w is mean(x^2)/4")
    return f"{value:g} is not it; write H_ww = mean(p (1 - p) x^2) with p = 1/2 and replace x by {factor:g} x"


def check_decision_boundary(answer, w, b):
    """The boundary of the 1-D model s = w x + b: the x where s = 0, that is -b / w."""
    w, b = _checks.real("w", w), _checks.real("b", b)
    if w == 0:
        raise ValueError("w must not be 0: with w = 0 every x gets the same score b and there is no boundary")
    expected = -b / w
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, expected, rel_tol=1e-3, abs_tol=1e-6):
        return _right(f"w x + b = 0 at x = -b / w = {expected:.4g}.")
    if math.isclose(value, b / w, rel_tol=1e-3, abs_tol=1e-6):
        return _wrong("check the sign: solve w x + b = 0 for x")
    return _wrong(f"{value:g} is not it; solve w x + b = 0 for x")
