"""Every number and comparison notebook 10's prose states, asserted on the notebook's own experiment calls.

The races run once per test session (the `races` fixture of tests/conftest.py, the
same calls as the notebook's cells, and `other_starts`, the same races from another
16 starts); each test names the prose it checks. A verdict ("X beats Y") is
checked at alpha x 0.9, x 1 and x 1.1 and from the other starts (`holds`).
Theory's numbers are recomputed here from their formulas and checked
independently against the spectral radius of the iteration matrix.
"""

import math

import numpy as np
import pytest

from gdviz import experiments, landscapes, optimizers
from gdviz.run import run

K = 20.0  # the ravine's condition number, checked below


def sig(value, digits=3):
    """`value` rounded to `digits` significant figures, as the tables print it."""
    return float(f"{value:.{digits}g}")


def steps(result):
    return {name: entry.score for name, entry in result.entries.items()}


def medians(result, name):
    """The median score of `name` at alpha x 0.9, x 1 and x 1.1, from the race's own 16 starts."""
    entry = result[name]
    return [entry.nudged[0.9], entry.score, entry.nudged[1.1]]


def holds(result, elsewhere, better, worse, factor=1.0):
    """`better`'s median beats `worse`'s, by `factor`, at each nudge of alpha and in the race run from
    another 16 starts (re-tuned there): a verdict that survives a nudge. Both must be robust."""
    for race in (result, elsewhere):
        assert race[better].robust and race[worse].robust, (better, worse)
        for own, other in zip(medians(race, better), medians(race, worse), strict=True):
            assert own * factor < other, (better, worse, own, other)
    return True


def spectral_radius(alpha, beta, curvatures):
    """Largest |eigenvalue| of heavy-ball's iteration (w_t, w_{t-1}) -> (w_{t+1}, w_t), over curvatures.

    Torch's v = beta v + g, w -= alpha v is w_{t+1} = w_t - alpha g_t + beta (w_t - w_{t-1}).
    """
    return max(np.abs(np.linalg.eigvals([[1 + beta - alpha * lam, -beta], [1.0, 0.0]])).max()
               for lam in curvatures)


# ---------------------------------------------------------------- the update rules

def test_first_steps_and_the_steady_slope(races):
    # "up to 1/(1 - beta) times a plain step"
    assert experiments.momentum_gain(0.9) == pytest.approx(1 / (1 - 0.9), rel=1e-6)
    # Adagrad's and Adam's "first step moves every parameter by alpha, whatever the gradient"
    for name in ("adagrad", "adam"):
        walk = races["saddle"][name].trajectory
        assert np.abs(walk.w[1] - walk.w[0]) == pytest.approx([0.1, 0.1], rel=1e-6)
        assert np.abs(walk.grad[0, 0]) > 10 * np.abs(walk.grad[0, 1])  # however different the gradients


# ---------------------------------------------------------------- the race: rules and scores

def test_the_rules_of_the_race(races):
    # "two rates per decade from 1e-3 to 1 (and beta at 0, 0.68, 0.9, 0.97, 0.99) ... 1/48 of a decade"
    plain = races["ravine"]["gradient_descent"]
    assert {sig(a, 2) for a in np.logspace(-3, 0, 7)} <= {sig(a, 2) for a in plain.searched["alpha"]}
    momentum = races["ravine"]["momentum"]
    assert {0.0, 0.68, 0.9, 0.97, 0.99} <= {round(b, 2) for b in momentum.searched["beta"]}
    exponents = np.log10(momentum.searched["alpha"]) * 48
    assert np.allclose(exponents, np.round(exponents))
    assert len(np.unique(np.round(exponents))) > len(np.unique(np.round(exponents / 3)))  # finer than 1/16
    # "16 starts: the course's own and 15 more drawn around it"
    for result in races.values():
        assert result.starts.shape == (16, 2) and np.array_equal(result.starts[0], result.landscape.start)
        assert all(entry.scores.shape == (16,) and entry.score == np.median(entry.scores)
                   for entry in result.entries.values())
    # "beta for momentum, Nesterov and RMSProp, beta1 for Adam ... beta2 and eps keep their defaults"
    for result in (races["ravine"], races["aligned"], races["rosenbrock"]):
        tuned = {name: entry.tuned for name, entry in result.entries.items()}
        assert tuned == {"gradient_descent": ("alpha",), "momentum": ("alpha", "beta"),
                         "nesterov": ("alpha", "beta"), "adagrad": ("alpha",), "rmsprop": ("alpha", "beta"),
                         "adam": ("alpha", "beta1")}
        adam = result["adam"].settings
        assert (adam["beta2"], adam["eps"]) == (0.999, 1e-8)
        assert not any(entry.on_edge for entry in result.entries.values())
    # "more than 10 times its own (final loss) or 1.5 times (steps)": the flag, recomputed
    for result in races.values():
        limit = 10.0 if result.measure == "final loss" else 1.5
        for entry in result.entries.values():
            folds = [fold(entry.score, other, result.measure) for other in entry.nudged.values()]
            assert entry.robust == (max(folds) <= limit), (result.landscape.name, entry.name)


def fold(one, other, measure):
    """How many times one median is the other; final losses below 1e-12 count as 1e-12."""
    if measure == "final loss":
        one, other = max(one, 1e-12), max(other, 1e-12)
    if one == other:
        return 1.0
    return max(one, other) / min(one, other) if math.isfinite(max(one, other)) else math.inf


def test_the_stated_scores(races):
    ravine = races["ravine"]
    assert (ravine.measure, ravine.goal, ravine.max_steps) == ("steps to loss", 1e-12, 200)
    # "Several methods get there long before the end"
    assert sum(score < 100 for score in steps(ravine).values()) >= 3
    assert (races["rosenbrock"].measure, races["rosenbrock"].max_steps) == ("final loss", 300)
    assert (races["rastrigin"].measure, races["rastrigin"].max_steps) == ("final loss", 200)
    saddle = races["saddle"]
    assert (saddle.measure, saddle.goal, saddle.max_steps) == ("steps to distance", 10.0, 60)


# ---------------------------------------------------------------- the ravine

def test_the_ravine_and_plain_descent(races):
    ravine = landscapes.get("ravine")
    m, L = np.linalg.eigvalsh(ravine.hessian)
    assert (m, L) == pytest.approx((0.5, 10.0)) and L / m == pytest.approx(K)
    race = races["ravine"]
    plain = race["gradient_descent"]
    # "a median of 149 steps at alpha = 0.169"
    assert plain.score == 149 and sig(plain.alpha) == 0.169 and plain.robust
    # "On its own its best rate would be larger, 0.187 (135 steps), but that is within 10 % of 2/L = 0.2"
    grid = 10 ** (np.arange(-60, -30) / 48)
    alone = {alpha: float(np.median(race.scores_at("gradient_descent", alpha / plain.alpha)))
             for alpha in grid}
    best = min(alone, key=lambda alpha: (alone[alpha], alpha))
    assert (sig(best), alone[best]) == (0.187, 135) and best < 2 / L < 1.1 * best
    assert math.isinf(np.median(race.scores_at("gradient_descent", 1.1 * best / plain.alpha)))
    assert plain.alpha * 1.1 < 2 / L  # the race's choice stands clear
    # "(k - 1)/(k + 1) ~ 0.90": the best plain descent can do, at alpha = 2/(m + L)
    assert round((K - 1) / (K + 1), 2) == 0.90
    assert spectral_radius(2 / (m + L), 0.0, (m, L)) == pytest.approx((K - 1) / (K + 1))


def test_momentum_nesterov_and_adam_on_the_ravine(races, other_starts):
    race, elsewhere = races["ravine"], other_starts["ravine"]
    scores = steps(race)
    # "Momentum, tuned, needs 52 steps, Nesterov 54, and Adam 43 with its beta1 tuned (to 0.438)"
    assert (scores["momentum"], scores["nesterov"], scores["adam"]) == (52, 54, 43)
    assert sig(race["adam"].settings["beta1"]) == 0.438
    # "each about a third of plain descent's"
    for name in ("momentum", "nesterov", "adam"):
        assert 0.25 < scores[name] / scores["gradient_descent"] < 0.4
        assert holds(race, elsewhere, name, "gradient_descent", factor=2.0)
    # "Their order among themselves is not a result: it changes when the race is run from another 16 starts"
    leaders = ("momentum", "nesterov", "adam")
    def order(result):
        return [entry.name for entry in result.ranking() if entry.name in leaders]
    assert order(race) != order(elsewhere)
    # "At its default beta1 = 0.9, Adam does not reach the goal in 200 steps from any start, at any alpha"
    for result in (races["adam at its default beta1"], other_starts["adam at its default beta1"]):
        default = result["adam"]
        assert default.settings["beta1"] == 0.9 and default.tuned == ("alpha",)
        assert np.all(np.isinf(default.scores)) and default.searched["walks"] >= 7 * 16


def test_theory_of_momentum_and_its_knife_edge(races):
    m, L = 0.5, 10.0
    race = races["ravine"]
    # "alpha* = 4/(sqrt L + sqrt m)^2 ~ 0.27, beta* = ((sqrt k - 1)/(sqrt k + 1))^2 ~ 0.40 ... ~ 0.63"
    best_alpha = 4 / (math.sqrt(L) + math.sqrt(m)) ** 2
    rate = (math.sqrt(K) - 1) / (math.sqrt(K) + 1)
    assert (round(best_alpha, 2), round(rate**2, 2), round(rate, 2)) == (0.27, 0.40, 0.63)
    assert spectral_radius(best_alpha, rate**2, (m, L)) == pytest.approx(rate)
    for alpha in best_alpha * np.array([0.9, 1.1]):  # ... and no (alpha, beta) nearby does better
        for beta in rate**2 + np.array([-0.05, 0.05]):
            assert spectral_radius(alpha, beta, (m, L)) > rate
    # "From the 16 starts that setting needs a median of 44 steps"
    walks = [run(optimizers.momentum("ravine", start, best_alpha, beta=rate**2), max_steps=200,
                 loss_below=1e-12) for start in race.starts]
    assert all(walk.stop_reason == "loss_below" for walk in walks)
    assert np.median([walk.n_updates for walk in walks]) == 44
    # "momentum diverges once alpha > 2(1 + beta)/L, and alpha* sits only (L + m)/L = 1.05 below that edge"
    edge = 2 * (1 + rate**2) / L
    assert edge / best_alpha == pytest.approx((L + m) / L) and round((L + m) / L, 2) == 1.05
    assert spectral_radius(edge * 0.999, rate**2, (m, L)) < 1 < spectral_radius(edge * 1.001, rate**2, (m, L))
    # "so 1.1 alpha* diverges from every start"
    for start in race.starts:
        walk = run(optimizers.momentum("ravine", start, 1.1 * best_alpha, beta=rate**2), max_steps=200,
                   loss_below=1e-12)
        assert walk.stop_reason == "diverged"
    # "the race's choice gives up a few steps to stand clear of it"
    assert 44 < race["momentum"].score <= 60 and race["momentum"].robust


# ---------------------------------------------------------------- which way the ravine points

def test_lined_up_against_turned(races, other_starts):
    aligned, turned = steps(races["aligned"]), steps(races["ravine"])
    # "RMSProp needs a median of 6 steps, Adagrad 12 and Adam 24, against momentum's 52"
    assert (aligned["rmsprop"], aligned["adagrad"], aligned["adam"], aligned["momentum"]) == (6, 12, 24, 52)
    for name in ("rmsprop", "adagrad", "adam"):  # "the per-parameter methods win by far"
        assert holds(races["aligned"], other_starts["aligned"], name, "momentum", factor=1.5)
    # "RMSProp needs about 95 steps and Adagrad about 140, close to plain descent's 149"
    assert abs(turned["rmsprop"] - 95) <= 5 and abs(turned["adagrad"] - 140) <= 5
    assert turned["adagrad"] / turned["gradient_descent"] > 0.9
    # "Turned by 30 degrees, the same methods need about 95, 140 and 43"
    assert all(turned[name] > 3 * aligned[name] for name in ("rmsprop", "adagrad"))
    assert turned["adam"] == 43 > aligned["adam"]
    # "The catalogue's ravine is turned by 30 degrees ... Chad starting at the same place relative to
    # its floor"
    floor = np.linalg.eigh(races["ravine"].landscape.hessian)[1][:, 0]
    assert abs(np.degrees(np.arctan(floor[1] / floor[0]))) == pytest.approx(30.0)
    assert np.allclose(races["aligned"].landscape.hessian, np.diag([0.5, 10.0]))
    # "Plain descent, momentum and Nesterov need the same on both (medians of 149, 52 and 54)"
    for name, count in (("gradient_descent", 149), ("momentum", 52), ("nesterov", 54)):
        assert aligned[name] == turned[name] == count
    # "from the course's start their walks on the two ravines are the same walk, turned"
    angle = np.deg2rad(30.0)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    assert np.allclose(rotation @ races["aligned"].landscape.start, races["ravine"].landscape.start)
    for name in ("gradient_descent", "momentum", "nesterov"):
        on_aligned = races["aligned"][name].trajectory.w
        assert np.allclose(on_aligned @ rotation.T, races["ravine"][name].trajectory.w, atol=1e-9)


# ---------------------------------------------------------------- Rosenbrock

def test_rosenbrock(races, other_starts):
    race, elsewhere = races["rosenbrock"], other_starts["rosenbrock"]
    plain = race["gradient_descent"]
    # "Plain descent ends at a median loss of 0.76 after 300 steps ... from some starts it diverges"
    assert sig(plain.score, 2) == 0.76 and plain.spread[1] == math.inf and plain.robust
    # "Momentum (beta ~ 0.95) and Adam end more than 50 times lower in median, at every nudge of alpha
    # and from another 16 starts too"
    assert round(race["momentum"].settings["beta"], 2) == 0.95
    for name in ("momentum", "adam"):
        assert holds(race, elsewhere, name, "gradient_descent", factor=50.0)
    # "Nesterov ends lower still from these starts, but its median is flagged: nudging its alpha by 10 %
    # makes it at least 30 times worse"
    nesterov = race["nesterov"]
    assert nesterov.score < min(race["momentum"].score, race["adam"].score) and not nesterov.robust
    assert min(nesterov.nudged.values()) >= 30 * nesterov.score
    assert "not robust" in race.table()
    # "RMSProp ends near plain descent (within a factor of two), and Adagrad far above or far below it
    # depending on the starts drawn"
    for result in (race, elsewhere):
        assert 0.5 < result["rmsprop"].score / result["gradient_descent"].score < 2
        assert not 0.5 < result["adagrad"].score / result["gradient_descent"].score < 2
    sides = {result["adagrad"].score < result["gradient_descent"].score for result in (race, elsewhere)}
    assert sides == {True, False}


# ---------------------------------------------------------------- the saddle

def test_the_saddle_race_rules(races):
    race = races["saddle"]
    # "everyone shares alpha = 0.1 and keeps its default settings ... Running off is the goal, never a
    # failure"
    for entry in race.entries.values():
        assert entry.alpha == 0.1 and entry.tuned == ()
        assert entry.trajectory.stop_reason != "diverged"
    assert "α = 0.1" in race.describe()
    assert landscapes.get("saddle")((0.0, 1e6)) < landscapes.get("saddle")((0.0, 1e3)) < 0  # no bottom


def test_plain_descent_escapes_geometrically(races):
    entry = races["saddle"]["gradient_descent"]
    walk = entry.trajectory
    # "every step multiplies w2 by exactly 1 + 2 alpha = 1.2 ... from the course's start at w2 = 0.05 to
    # a distance of 10 in 30 steps; over the 16 starts its median is 23"
    assert walk.w[0, 1] == 0.05
    assert np.array_equal(landscapes.get("saddle").grad(walk.w[:5]), np.column_stack([2 * walk.w[:5, 0],
                                                                                      -2 * walk.w[:5, 1]]))
    assert np.allclose(walk.w[1:, 1] / walk.w[:-1, 1], 1.2, rtol=1e-12, atol=0)
    assert walk.n_updates == entry.scores[0] == 30 == math.ceil(math.log(10 / 0.05) / math.log(1.2))
    assert entry.score == 23


def test_who_escapes_how_fast(races, other_starts):
    race, elsewhere = races["saddle"], other_starts["saddle"]
    scores = steps(race)
    # "Momentum and Nesterov escape about twice as fast (medians 11.5 and 10) ... RMSProp is in between (17)"
    assert (scores["momentum"], scores["nesterov"], scores["rmsprop"]) == (11.5, 10, 17)
    for name in ("momentum", "nesterov"):
        assert holds(race, elsewhere, name, "gradient_descent", factor=1.5)
        assert holds(race, elsewhere, name, "rmsprop")
    assert holds(race, elsewhere, "rmsprop", "gradient_descent")
    # "its first step ... moves every parameter by 10 alpha = 1"
    rmsprop = race["rmsprop"].trajectory
    first_grad = np.abs(rmsprop.grad[0])
    assert np.sqrt(rmsprop.state["square_avg"][0]) == pytest.approx(0.1 * first_grad)  # sqrt(1 - beta) |g|
    assert np.abs(rmsprop.w[1] - rmsprop.w[0]) == pytest.approx([1.0, 1.0], rel=1e-6)
    # "Adam and Adagrad do not get there in 60 steps from any start"
    for result in (race, elsewhere):
        for name in ("adam", "adagrad"):
            assert np.all(np.isinf(result[name].scores))
            assert all(math.isinf(score) for score in result[name].nudged.values())
    # "Adam's steps stay between 0.12 and 0.15 long ... 7.5 away after 60 steps from the course's start"
    adam = race["adam"].trajectory
    lengths = np.linalg.norm(np.diff(adam.w, axis=0), axis=1)
    assert 0.12 < lengths.min() and lengths.max() < 0.15 and adam.n_updates == 60
    gradients = np.linalg.norm(adam.grad, axis=1)
    assert gradients.max() > 3 * gradients.min()  # "whatever the gradient": it changes threefold and more
    assert round(float(np.linalg.norm(adam.w[-1])), 1) == 7.5
    # "Adagrad's steps shrink as its sum of squares grows, and it is only 2.2 away"
    adagrad = race["adagrad"].trajectory
    lengths = np.linalg.norm(np.diff(adagrad.w, axis=0), axis=1)
    assert lengths[-1] < lengths[0] / 4 and np.all(np.diff(adagrad.state["square_sum"], axis=0) >= 0)
    assert round(float(np.linalg.norm(adagrad.w[-1])), 1) == 2.2


# ---------------------------------------------------------------- Rastrigin

def dimple(x):
    """The local minimum of x^2 - 10 cos(2 pi x) nearest x, by Newton's method on its derivative."""
    x = float(np.round(x))
    for _ in range(50):
        x -= (2 * x + 20 * np.pi * np.sin(2 * np.pi * x)) / (2 + 40 * np.pi**2 * np.cos(2 * np.pi * x))
    return x


def test_rastrigin_is_chaos_not_a_ranking(races):
    race = races["rastrigin"]
    rastrigin = landscapes.get("rastrigin")
    # "Plain descent, Nesterov and Adam ... stop in the dimple beside each start, so their spreads are
    # those of the starts themselves: a median of 19.9"
    plain = race["gradient_descent"]
    for name in ("gradient_descent", "nesterov", "adam"):
        entry = race[name]
        for start in race.starts:  # into a dimple less than a unit from the start
            walk = run(optimizers.get(name)(rastrigin, start, entry.alpha, **entry.settings), max_steps=200)
            end = walk.w[-1]
            assert np.all(np.abs(end - start) < 1)
            assert np.hypot(end[0] - dimple(end[0]), end[1] - dimple(end[1])) < 0.05
        assert np.allclose(entry.scores, plain.scores, rtol=0.02), name  # the same dimples
        assert sig(entry.score) == 19.9
    # "Adagrad and RMSProp were tuned to large alpha, and their first steps jump over the ridges; their
    # medians are lower, below 10"
    for name in ("adagrad", "rmsprop"):
        entry = race[name]
        first = np.abs(entry.trajectory.w[1] - entry.trajectory.w[0])
        assert first.max() > 0.5 and entry.score < 10  # a dimple is one unit wide
        assert max(entry.nudged.values()) < 10
        # "moves their alpha by one part in a million million and counts the starts whose final loss
        # changes by more than 1 %: many of the 16 for both"
        moved = race.scores_at(name, factor=1 + 1e-12)
        assert np.sum(np.abs(moved - entry.scores) > 0.01 * entry.scores) >= 4, name
    assert rastrigin((0.0, 0.0)) == 0.0
