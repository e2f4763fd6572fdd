"""Exercises on second-order steps (12): a Newton step by hand, a line search by hand, a Hessian's size."""

import math

import numpy as np

from .. import _checks, landscapes, second_order
from ..experiments.second_order import solve_multiply_adds
from ._verdict import _read_number, _real_array, _right, _wrong

__all__ = ["check_armijo_search", "check_hessian_cost", "check_newton_step"]


def _newton_cases():
    """(name, w, H, g): a round bowl, the ravine turned 30°, Rosenbrock's start, a matrix with
    off-diagonal entries. The round bowl comes first: dividing each slope by its own curvature is
    right there, and wrong on every other case."""
    cases = [("the bowl", np.array([1.0, 2.0]), np.diag([2.0, 2.0]), np.array([2.0, 4.0]))]
    for name, words in (("ravine", "the ravine"), ("rosenbrock", "Rosenbrock's valley")):
        land = landscapes.get(name)
        cases.append((words, land.start.copy(), land.hessian_at(land.start), land.grad(land.start)))
    cases.append(("a tilted bowl", np.array([0.5, -0.5]), np.array([[4.0, 1.0], [1.0, 3.0]]),
                  np.array([1.0, 2.0])))
    return cases


def _newton_slips(w, hessian, grad):
    """[(point, hint)]: where the usual slips in w - H^-1 g land."""
    step = np.linalg.solve(hessian, grad)
    return [
        (step, "that is the step H⁻¹g itself; the new point is w minus it"),
        (w + step, "Chad went uphill: subtract the step, w − H⁻¹g"),
        (w - hessian @ grad, "that multiplies the slope by the curvature, H g; Newton divides by it: solve "
                             "H d = g (np.linalg.solve(H, g)) and step by d"),
        (w - grad, "that is a plain gradient step with α = 1; Newton rescales g by H⁻¹"),
        (w - grad / np.diag(hessian), "that divides each slope by its own curvature, the diagonal of H: "
                                      "right only when H is diagonal; solve the whole system H d = g"),
    ]


def check_newton_step(student):
    """Check a student's `student(w, hessian, grad)` returning the point after one Newton step.

    Expected w - H^-1 g (alpha = 1, no damping), to a relative 1e-9, on the
    cases of `_newton_cases`; the student gets copies, so changing them in
    place changes nothing. Named slips: the step itself returned, a wrong sign,
    H g for H^-1 g, a plain gradient step, dividing by the diagonal of H.
    """
    if not callable(student):
        return _wrong(f"pass your function itself (no parentheses), got {student!r}")
    for name, w, hessian, grad in _newton_cases():
        try:
            returned = student(w.copy(), hessian.copy(), grad.copy())
        except Exception as error:  # the crash is the verdict
            return _wrong(f"on {name} your function raised {type(error).__name__}: {error}")
        if returned is None or returned is Ellipsis:
            return _wrong("your function returns nothing yet: return the new point, w minus the Newton step")
        point = _real_array(returned)
        if point is None or point.shape != (2,) or not np.all(np.isfinite(point)):
            return _wrong(f"on {name} your function returned {returned!r}; return the new point, two finite "
                          "numbers")
        expected = w - np.linalg.solve(hessian, grad)
        if np.allclose(point, expected, rtol=1e-9, atol=1e-12):
            continue
        shown = [(np.round(value, digits) + 0.0).tolist()  # + 0.0: no "-0.0"
                 for value, digits in ((w, 4), (grad, 4), (point, 6), (expected, 6))]
        where = (f"on {name}, at w = {shown[0]} with g = {shown[1]}, you gave {shown[2]}, Newton lands at "
                 f"{shown[3]}")
        for slip, hint in _newton_slips(w, hessian, grad):
            if np.allclose(point, slip, rtol=1e-9, atol=1e-12):
                return _wrong(f"{where}: {hint}")
        return _wrong(f"{where}; compute d from H d = g, then w − d")
    return _right("your step lands where w − H⁻¹g does on a round bowl, the ravine, Rosenbrock and a tilted "
                  "bowl; on the two quadratics that is the minimum itself.")


def _first_passing(loss, slope, tried_losses, alpha, shrink, c, with_t=True):
    """(t, tries) of the first tried step size that passes the test, or (None, None)."""
    for index, there in enumerate(tried_losses):
        t = alpha * shrink ** index
        if there <= loss - c * (t if with_t else 1.0) * slope:
            return t, index + 1
    return None, None


def check_armijo_search(step_size, losses_read, loss=10.0, slope=8.0,
                        tried_losses=(10.4, 9.9, 9.5, 9.1, 8.9), alpha=1.0, shrink=0.5, c=0.1):
    """A backtracking search by hand: the step size it accepts and the trial losses it reads.

    Chad's loss is `loss`, ||g||^2 is `slope`; he tries t = alpha, alpha *
    shrink, ... and `tried_losses[j]` is L(w - t g) at the j-th t. Expected:
    the first t with L(w - t g) <= L(w) - c t ||g||^2 (`second_order.armijo_holds`)
    and the number of trial losses read up to it, that one included. Named
    slips: a plain decrease (c = 0), the factor c forgotten (c = 1), t left
    out of c t ||g||^2, and counting L(w) or leaving out the accepted try.
    """
    loss, slope = _checks.real("loss", loss), _checks.non_negative("slope", slope)
    alpha = _checks.positive("alpha", alpha)
    shrink, c = second_order.open_fraction("shrink", shrink), second_order.open_fraction("c", c)
    tried_losses = [_checks.real("tried_losses", value) for value in tried_losses]
    expected, tries = None, None
    for index, there in enumerate(tried_losses):
        t = alpha * shrink ** index
        if second_order.armijo_holds(loss, there, t, slope, c):
            expected, tries = t, index + 1
            break
    if expected is None:
        raise ValueError(f"tried_losses: none of {tried_losses} passes the Armijo condition; give more tries")
    value, problem = _read_number(step_size)
    if problem is not None:
        return _wrong(f"the step size: {problem.message.removeprefix('Not yet: ')}")
    if not math.isclose(value, expected, rel_tol=1e-9):
        slips = {
            "c = 0": (_first_passing(loss, slope, tried_losses, alpha, shrink, 0.0)[0],
                      "that step lowers the loss, but Armijo asks for more than any drop: at least a "
                      "fraction c of the drop the slope promises, L(w − t g) ≤ L(w) − c t ‖g‖²"),
            "c = 1": (_first_passing(loss, slope, tried_losses, alpha, shrink, 1.0)[0],
                      f"that asks for the whole drop the slope promises, t ‖g‖²; Armijo asks only for a "
                      f"fraction c = {c:g} of it"),
            "no t": (_first_passing(loss, slope, tried_losses, alpha, shrink, c, with_t=False)[0],
                     "the promised drop shrinks with the step: it is c t ‖g‖², not c ‖g‖²"),
        }
        for slip, hint in slips.values():
            if slip is not None and math.isclose(value, slip, rel_tol=1e-9):
                return _wrong(f"t = {value:g}: {hint}")
        allowed = ", ".join(f"{alpha * shrink ** index:g}" for index in range(len(tried_losses)))
        return _wrong(f"t = {value:g} is not the step the search accepts; it tries {allowed} in turn and "
                      "stops at the first that passes L(w − t g) ≤ L(w) − c t ‖g‖²")
    count, problem = _read_number(losses_read)
    if problem is not None:
        return _wrong(f"t = {expected:g} is right; now the losses read: "
                      f"{problem.message.removeprefix('Not yet: ')}")
    if count == tries + 1:
        return _wrong(f"t = {expected:g} is right, but {count:g} counts L(w) too; Chad reads it at every "
                      "step whatever the optimizer, so count only the trial points")
    if count == tries - 1:
        return _wrong(f"t = {expected:g} is right, but the accepted try was read too: its loss had to be "
                      "measured to pass the test")
    if count != tries:
        return _wrong(f"t = {expected:g} is right; count the step sizes tried up to and including it")
    return _right(f"t = {expected:g} after {tries} trial losses: the first {tries - 1} tried step sizes "
                  "failed the test, this one passed, and the search stopped there.")


def check_hessian_cost(entries, growth, n=10_000):
    """A Hessian's size for n parameters (n^2 numbers; its n(n+1)/2 distinct ones pass too, with a word)
    and how much more work one Newton solve costs for 10 times the parameters (about 1000 times: n^3).

    The growth is checked against `solve_multiply_adds`, the elimination's exact count, within 1 %.
    """
    n = _checks.count("n", n, minimum=2)
    value, problem = _read_number(entries)
    if problem is not None:
        return _wrong(f"the Hessian's numbers: {problem.message.removeprefix('Not yet: ')}")
    distinct = n * (n + 1) // 2
    if value not in (n * n, distinct):
        hints = {n: "that is the gradient's size, one slope per parameter; the Hessian has a curvature for "
                    "every pair of parameters",
                 2 * n: "the Hessian has a row and a column per parameter: n × n numbers",
                 n ** 3: "n³ is the solve's work, not the matrix's size"}
        return _wrong(f"{value:g}: {hints.get(value, 'count one number per pair (i, j) of parameters')}")
    measured = solve_multiply_adds(10 * n) / solve_multiply_adds(n)
    factor, problem = _read_number(growth)
    if problem is not None:
        return _wrong(f"the growth of the solve: {problem.message.removeprefix('Not yet: ')}")
    if not math.isclose(factor, measured, rel_tol=0.01):
        hints = {10: "10 is how the gradient grows; the elimination does about n³/3 multiply-adds",
                 100: "100 is how the Hessian's size grows; solving with it takes about n³/3 multiply-adds"}
        hint = next((words for number, words in hints.items() if math.isclose(factor, number, rel_tol=0.01)),
                    "count the multiply-adds of Gaussian elimination: about n³/3")
        return _wrong(f"{factor:g}: {hint}")
    note = ("" if value == n * n else f" ({distinct:,} is the number of distinct entries, H being symmetric; "
            f"stored whole it holds {n * n:,})")
    return _right(f"n = {n:,} parameters give a Hessian of {n * n:,} numbers{note}, {8 * n * n / 1e9:g} GB "
                  f"as float64; ten times the parameters cost {measured:.0f} times the solve's work.")

