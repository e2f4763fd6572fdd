"""Settings to save and share (`gdviz.apps.explorer_state`, `Explorer.state`, `Explorer.from_state`, ...).

A state is a JSON-safe dict; from it the same view comes back walk for walk, through the dict
itself, the line to paste into a cell, and the query string of a Voila page's address.
"""

import json
import urllib.parse
from pathlib import Path

import numpy as np
import pytest

import gdviz
from gdviz import landscapes, optimizers
from gdviz.apps import Explorer
from gdviz.apps import explorer_state as sharing
from gdviz.figures import style


def same_view(app, other):
    """The same walk, point for point, the same step shown, and the same pinned walk."""
    assert np.array_equal(app.trajectory.w, other.trajectory.w)
    assert app.step.value == other.step.value
    assert app.optimizer.value == other.optimizer.value and app._landscape.formula == other._landscape.formula
    assert (app.pinned is None) == (other.pinned is None)
    if app.pinned is not None:
        assert np.array_equal(app.pinned[0].w, other.pinned[0].w)
        pinned = [list(style.trace(view.figure, "trail pinned").x) for view in (app, other)]
        assert pinned[0] == pinned[1]


def views():
    """A few Explorers a lecturer might share, each changed the way a student changes one."""
    ravine = Explorer("ravine", optimizer="momentum", alpha=0.05, beta=0.8)
    ravine.start_x.value, ravine.step.value = 1.0, 4
    newton = Explorer("rosenbrock", optimizer="newton", damping=10.0, max_steps=40, loss_below=1e-6)
    pinned = Explorer("ravine", alpha=0.1)
    pinned.pin()
    pinned.optimizer.value = "adam"
    custom = Explorer(landscapes.from_formula("x**2 + 3*y**2 + sin(x)", domain=((-2, 4), (-3, 3))))
    custom.alpha.value = custom.alpha.nearest(0.02)
    sgd = Explorer("himmelblau", optimizer="sgd", noise=2.0, seed=5)
    return {"ravine": ravine, "newton": newton, "pinned": pinned, "custom": custom, "sgd": sgd}


@pytest.fixture(scope="module")
def shared_views():
    return views()


# --------------------------------------------------------------------------- a state and back


@pytest.mark.parametrize("name", ["ravine", "newton", "pinned", "custom", "sgd"])
def test_a_state_is_json_and_gives_the_same_view_back(shared_views, name):
    app = shared_views[name]
    state = app.state()
    assert json.loads(json.dumps(state)) == state, "JSON-safe: it survives a round trip unchanged"
    same_view(app, Explorer.from_state(json.loads(json.dumps(state))))


def test_a_state_holds_every_setting():
    app = Explorer("rosenbrock", optimizer="adam", alpha=0.01, start=(0.5, 1.0), max_steps=60,
                   loss_below=1e-4, beta1=0.8)
    app.step.value = 7
    assert app.state() == {"landscape": "rosenbrock", "optimizer": "adam", "alpha": app.alpha.value,
                           "start": [0.5, 1.0], "max_steps": 60, "step": 7, "loss_below": 1e-4,
                           "hyperparameters": {"beta1": 0.8, "beta2": 0.999, "eps": 1e-8}}


def test_values_set_off_the_sliders_grid_come_back_exactly():
    app = Explorer("bowl")
    app.alpha.value, app.start_y.value = 0.0123456, 0.7654321  # code, not a student's drag
    other = Explorer.from_state(app.state())
    assert other.alpha.value == 0.0123456 and other.start_y.value == 0.7654321
    same_view(app, other)


def test_a_formula_landscape_is_described_by_its_text_and_domain():
    app = Explorer(landscapes.from_formula("  (x - 1)**2 + y**2  ", domain=((-1, 3), (-2, 2))))
    assert app.state()["landscape"] == {"formula": "(x - 1)**2 + y**2", "domain": [[-1.0, 3.0], [-2.0, 2.0]]}


def test_a_network_slice_is_described_by_its_name():
    network = pytest.importorskip("gdviz.network")
    name = "network:moons-tanh:random:0"
    landscape = network.from_slice_name(name)
    assert sharing.describe_landscape(landscape) == name
    assert sharing.landscape_from(name).domain == landscape.domain
    app = Explorer(landscape, max_steps=10)
    assert app.state()["landscape"] == name
    same_view(app, Explorer.from_state(app.state()))


def hand_built():
    return gdviz.Landscape("my bowl", "w1² + 2 w2²", lambda x, y: x * x + 2 * y * y,
                           lambda x, y: (2 * x, 4 * y), ((-3.0, 3.0), (-3.0, 3.0)), [(0.0, 0.0)], (-2.0, 1.0))


@pytest.mark.parametrize("landscape", [hand_built(),
                                       landscapes.get("ravine").replace(domain=((-1, 1), (-1, 1))),
                                       landscapes.get("bowl").replace(hessian=None, hess=None)],
                         ids=["hand-built", "ravine with another domain", "bowl without its Hessian"])
def test_a_landscape_that_cannot_be_described_is_refused_in_words(landscape):
    app = Explorer(landscape)
    words = (rf"cannot describe the landscape '{landscape.name}'.*catalogue landscape by its name "
             r"\(bowl, ravine.*from_formula.*network")
    with pytest.raises(ValueError, match=words):
        app.state()


def test_the_description_has_one_home_and_its_inverse():
    for name in landscapes.names():
        assert sharing.describe_landscape(landscapes.get(name)) == name
        assert sharing.landscape_from(name).formula == landscapes.get(name).formula
    formula = landscapes.from_formula("x*y")
    assert sharing.landscape_from(sharing.describe_landscape(formula)).formula == "x*y"


@pytest.mark.parametrize("state, error, words", [
    ("ravine", TypeError, "state must be a dict"),
    ({"alfa": 0.1}, ValueError, r"unknown keys \['alfa'\]; allowed: landscape, optimizer"),
    ({"optimizer": "lbfgs"}, ValueError, "optimizer must be one of"),
    ({"alpha": -1}, ValueError, "alpha must be a finite number > 0"),
    ({"landscape": "volcano"}, ValueError, "landscape must be one of"),
    ({"landscape": {"formula": "x**2 + __import__('os')"}}, ValueError, "__import__"),
    ({"landscape": {"formula": "x", "colour": "red"}}, ValueError, "a formula landscape must be"),
    ({"landscape": 3}, TypeError, "landscape must be a catalogue name"),
    ({"step": 10_000}, ValueError, "step must be between 0 and"),
    ({"step": -2}, ValueError, "step must be an integer >= 0"),
    ({"hyperparameters": [0.9]}, TypeError, r"state\['hyperparameters'\] must be a dict"),
    ({"optimizer": "momentum", "hyperparameters": {"gamma": 1}}, ValueError,
     "gamma=1 is not a setting of momentum"),
    ({"pinned": {"speed": 2}}, ValueError, r"state\['pinned'\] has unknown keys \['speed'\]"),
    ({"pinned": {"optimizer": "adam", "hyperparameters": {"beta": 0.5}}}, ValueError,
     "beta=0.5 is not a setting of adam"),
    ({"start": [9, 9]}, ValueError, "start must lie in the bowl domain"),
])
def test_a_bad_state_is_refused_naming_what_is_wrong(state, error, words):
    with pytest.raises(error, match=words):
        Explorer.from_state(state)


# --------------------------------------------------------------------------- the line to paste


@pytest.mark.parametrize("name", ["ravine", "pinned", "custom"])
def test_the_line_to_paste_opens_the_same_view(shared_views, name):
    app = shared_views[name]
    line = sharing.paste_line(app.state())
    assert "\n" not in line and line.startswith("from gdviz.apps import Explorer; Explorer.from_state({")
    namespace = {}
    exec(line.replace("; Explorer", "; view = Explorer"), namespace)  # what the cell runs, the view kept
    same_view(app, namespace["view"])


def test_the_share_button_shows_the_line_and_follows_the_view():
    app = Explorer("ravine")
    assert app.shared.value == ""
    app.share_button.click()
    assert app.error is None and app.share_button.description == "hide the shared view"
    assert "paste this line into a cell" in app.shared.value and "&#x27;landscape&#x27;: &#x27;ravine&#x27;" \
        in app.shared.value
    assert "href" not in app.shared.value, "outside Voila there is no page address to link to"
    app.alpha.value = app.alpha.nearest(0.05)
    assert f"&#x27;alpha&#x27;: {app.alpha.value!r}" in app.shared.value
    app.share_button.click()
    assert app.shared.value == "" and app.share_button.description == "share this view"


def test_sharing_a_view_that_cannot_be_described_says_why_where_the_line_would_be():
    app = Explorer(hand_built())
    app.share_button.click()
    assert "Error: ValueError: cannot describe the landscape" in app.shared.value
    app.alpha.value = app.alpha.nearest(0.05)  # and the app goes on working
    assert app.error is None and "converged" in app.status.value


# --------------------------------------------------------------------------- a page's address


@pytest.mark.parametrize("name", ["ravine", "newton", "pinned", "custom", "sgd"])
def test_a_query_string_carries_the_state(shared_views, name):
    state = shared_views[name].state()
    query = sharing.query_of(state)
    assert sharing.state_from_query(query) == state
    same_view(shared_views[name], Explorer.from_link("?" + query))


def test_a_query_string_reads_as_settings():
    state = {"landscape": {"formula": "x**2 + 3*y**2", "domain": [[-3, 3], [-2, 2]]}, "optimizer": "momentum",
             "alpha": 0.05, "start": [-2.5, 2.0], "hyperparameters": {"beta": 0.9, "nesterov": True},
             "step": 3, "pinned": {"optimizer": "adam"}}
    query = sharing.query_of(state)
    assert query == ("formula=x%2A%2A2%20%2B%203%2Ay%2A%2A2".replace("%2A", "*") + "&domain=-3,3,-2,2"
                     "&optimizer=momentum&alpha=0.05&start=-2.5,2.0&beta=0.9&nesterov=true&step=3"
                     "&pin.optimizer=adam")
    assert dict(urllib.parse.parse_qsl(query))["formula"] == "x**2 + 3*y**2", "a + is not a space"


def test_a_hand_written_address_is_read():
    assert sharing.state_from_query("?landscape=ravine&optimizer=momentum&alpha=0.1&start=-1,2&beta=0.9"
                                    "&token=secret&voila-template=lab") == {
        "landscape": "ravine", "optimizer": "momentum", "alpha": 0.1, "start": [-1.0, 2.0],
        "hyperparameters": {"beta": 0.9}}
    assert sharing.state_from_query("") == {} and sharing.state_from_query("token=abc") == {}
    assert sharing.state_from_query("preset=zigzag&step=4") == {**sharing.preset_state("zigzag"), "step": 4}
    # Another optimizer than the preset's brings its own settings, not the preset's.
    assert sharing.state_from_query("preset=momentum&optimizer=adam&beta1=0.8")["hyperparameters"] == {
        "beta1": 0.8}
    assert Explorer.from_link("preset=momentum&optimizer=adam").error is None


@pytest.mark.parametrize("query, words", [
    ("alpha=fast", "the address's alpha must be a number, got 'fast'"),
    ("step=2.5", "the address's step must be a whole number"),
    ("start=1", "the address's start must be 2 numbers separated by commas"),
    ("alpha=0.1&alpha=0.2", "the address gives alpha twice"),
    ("domain=0,1,0,1", "domain belongs to a formula"),
    ("preset=volcano", "preset must be one of 'glide'"),
    ("pin.step=3", r"state\['pinned'\] has unknown keys \['step'\]"),
])
def test_a_bad_address_is_refused_in_words(query, words):
    with pytest.raises(ValueError, match=words):
        sharing.state_from_query(query)


def test_a_link_that_cannot_be_used_opens_the_default_view_saying_why(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "landscape=ravine&alfa=0.3")
    app = Explorer.from_link()
    assert isinstance(app.error, ValueError) and app._landscape.name == "bowl"
    assert "this page's address asks for a view that cannot be shown" in app.status.value
    assert "alfa=0.3 is not a setting of gradient_descent" in app.status.value
    monkeypatch.setenv("QUERY_STRING", "landscape=ravine&step=2")
    app = Explorer.from_link()
    assert app.error is None and app._landscape.name == "ravine" and app.step.value == 2
    monkeypatch.delenv("QUERY_STRING")
    assert Explorer.from_link()._landscape.name == "bowl"


def test_in_voila_the_link_is_relative_to_the_page(monkeypatch, tmp_path):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    app = Explorer.from_link("landscape=ravine&alpha=0.1")
    app.share_button.click()
    href = f'href="?{sharing.query_of(app.state())}"'.replace("&", "&amp;")
    assert href in app.shared.value and "paste this line" in app.shared.value
    # An Explorer in another notebook of the course links to explorer.ipynb beside it.
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/06_learning_rate.ipynb")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "explorer.ipynb").write_text("{}")
    other = Explorer("ravine")
    other.share_button.click()
    assert 'href="explorer.ipynb?landscape=ravine' in other.shared.value
    (tmp_path / "explorer.ipynb").unlink()
    other.alpha.value = other.alpha.nearest(0.05)
    assert "href" not in other.shared.value


# --------------------------------------------------------------------------- lesson presets


@pytest.mark.parametrize("name", list(sharing.PRESETS))
def test_every_preset_opens_without_error_and_names_a_lesson(name):
    lesson, words, state = sharing.PRESETS[name]
    app = Explorer.preset(name)
    assert app.error is None and words
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"  # the repository's, not the install's
    assert lesson[:2].isdigit() and (notebooks / f"{lesson}.ipynb").is_file()
    assert Explorer.from_state(app.state()).trajectory.w.tolist() == app.trajectory.w.tolist()


def test_preset_glide_glides_zigzag_zigzags_and_diverge_diverges():
    glide, zigzag, diverge = (Explorer.preset(name) for name in ("glide", "zigzag", "diverge"))
    assert glide.trajectory.stop_reason == "grad_below" and np.all(np.diff(glide.trajectory.loss) < 0)
    curvature = landscapes.get("ravine").max_curvature
    assert 1 / curvature < zigzag.alpha.value < 2 / curvature  # theory: between 1/L and 2/L it zig-zags
    _, vectors = np.linalg.eigh(landscapes.get("ravine").hessian)
    across = zigzag.trajectory.w @ vectors[:, 1]  # the coordinate along the steep direction
    assert zigzag.trajectory.stop_reason == "grad_below" and np.all(across[1:20] * across[:19] < 0)
    assert diverge.alpha.value > 2 / landscapes.get("bowl").max_curvature
    assert diverge.trajectory.stop_reason == "diverged"


def test_preset_banana_crawls_and_newton_lands_at_once():
    banana = Explorer.preset("banana")
    assert banana.trajectory.stop_reason == "max_steps" and np.all(np.diff(banana.trajectory.loss) < 0)
    assert np.linalg.norm(banana.trajectory.w[-1] - [1.0, 1.0]) > 0.2, "still far along the valley"
    newton = Explorer.preset("newton")
    assert newton.trajectory.n_updates == 1 and newton.trajectory.w[1] == pytest.approx([0, 0], abs=1e-12)


@pytest.mark.parametrize("nudge", [0.9, 1.0, 1.1])
def test_preset_momentum_beats_the_plain_descent_pinned_beside_it(nudge):
    state = sharing.preset_state("momentum")
    state["alpha"] *= nudge
    app = Explorer.from_state(state)
    momentum, plain = app.trajectory, app.pinned[0]
    assert app.pinned[1]["optimizer"] == "gradient_descent" and app.pinned[1]["alpha"] == app.alpha.value
    assert momentum.stop_reason == plain.stop_reason == "grad_below"
    assert 2 * momentum.n_updates < plain.n_updates


def test_presets_are_copies():
    sharing.preset_state("momentum")["hyperparameters"]["beta"] = 0.0
    assert sharing.PRESETS["momentum"][2]["hyperparameters"]["beta"] == 0.6


def test_optimizers_keep_identifiers_in_a_state():
    state = Explorer(optimizer="line_search").state()
    assert state["optimizer"] == "line_search" and state["optimizer"] in optimizers.names()
