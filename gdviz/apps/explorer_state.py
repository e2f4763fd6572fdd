"""The Explorer's settings as a state to save and share: a dict, a line to paste, a link, lesson presets.

A state is a JSON-safe dict of everything that decides what the Explorer shows:

    {"landscape": "ravine", "optimizer": "momentum", "alpha": 0.0501, "start": [-2.5, 2.0],
     "max_steps": 100, "step": 12, "hyperparameters": {"beta": 0.9}}

with, when set, "loss_below" and "pinned" (a walk kept for comparison: its optimizer,
alpha, start, max_steps and hyperparameters). Every key may be left out for the
Explorer's default. The landscape is described by `describe_landscape`, the one
place that knows how: a catalogue landscape by its name, a formula landscape
(`gdviz.landscapes.from_formula`) as {"formula": text, "domain": [[xmin, xmax],
[ymin, ymax]]}, a slice of a network's loss by its name "network:..."
(`gdviz.network.from_slice_name` rebuilds it). A landscape built by hand has no
description: `state()` refuses it in words.

The same state travels three ways: `Explorer.from_state(state)`; the one line to
paste into a cell (`paste_line`); and the query string of a page's address
(`query_of`, `state_from_query`), which Voila hands to the kernel as QUERY_STRING:

    ?landscape=ravine&optimizer=momentum&alpha=0.0501&start=-2.5,2&step=12&beta=0.9

Everything but the keys below is an optimizer's setting (beta=0.9); a pinned walk's
keys start with "pin." (pin.optimizer=gradient_descent); preset=NAME starts from a
lesson preset (`PRESETS`), which the other keys then change.
"""

import html
import os
import urllib.parse
from pathlib import Path

import numpy as np

from .. import landscapes

__all__ = ["PRESETS", "describe_landscape", "landscape_from", "paste_line", "preset_state", "query_of",
           "share_html", "state_from_query"]

STATE_KEYS = ("landscape", "optimizer", "alpha", "start", "max_steps", "step", "hyperparameters",
              "loss_below", "pinned")
PINNED_KEYS = ("optimizer", "alpha", "start", "max_steps", "hyperparameters")
NETWORK_PREFIX = "network:"
DEFAULT_DOMAIN = ((-3.0, 3.0), (-3.0, 3.0))  # `from_formula`'s own
# Query parameters a page's address may carry that are not the Explorer's: left alone.
FOREIGN = ("token",)

# The views the lessons open, by name: (lesson, what it shows, the state).
PRESETS = {
    "glide": ("04_vanilla_gradient_descent", "plain descent with a small alpha glides into the bowl",
              {"landscape": "bowl", "optimizer": "gradient_descent", "alpha": 0.1}),
    "zigzag": ("06_learning_rate", "alpha between 1/L and 2/L: Chad zig-zags down the ravine, yet arrives",
               {"landscape": "ravine", "optimizer": "gradient_descent", "alpha": 0.15}),
    "diverge": ("06_learning_rate", "alpha above 2/L = 1: every step overshoots further than the last",
                {"landscape": "bowl", "optimizer": "gradient_descent", "alpha": 1.1}),
    "banana": ("07_beyond_quadratics", "a slow crawl along Rosenbrock's curved valley",
               {"landscape": "rosenbrock", "optimizer": "gradient_descent", "alpha": 0.001,
                "max_steps": 500}),
    "momentum": ("10_beyond_vanilla", "momentum down the ravine, plain descent with the same alpha pinned",
                 {"landscape": "ravine", "optimizer": "momentum", "alpha": 0.1, "max_steps": 200,
                  "hyperparameters": {"beta": 0.6}, "pinned": {"optimizer": "gradient_descent"}}),
    "newton": ("12_second_order", "Newton's full step lands on the bottom of a quadratic at once",
               {"landscape": "ravine", "optimizer": "newton"}),
}


# --------------------------------------------------------------------------- landscapes


def _same_landscape(landscape, rebuilt):
    """True when `rebuilt` draws and walks as `landscape`: domain, what it knows, the loss on a grid."""
    if landscape.domain != rebuilt.domain or (landscape.has_hessian, landscape.has_data) != (
            rebuilt.has_hessian, rebuilt.has_data):
        return False
    with np.errstate(all="ignore"):
        _, _, mine = landscape.mesh(7)
        _, _, theirs = rebuilt.mesh(7)
    return bool(np.allclose(mine, theirs, rtol=1e-12, atol=1e-12, equal_nan=True))


def describe_landscape(landscape):
    """The landscape as a state holds it: a catalogue name, {"formula", "domain"}, or "network:...".

    The one place that maps a landscape to its description (`landscape_from` is
    its inverse); each description is checked by rebuilding it, so a changed copy
    of a catalogue landscape is not passed off as the original. Anything else is
    a ValueError naming the landscape and what can be described.
    """
    if not isinstance(landscape, landscapes.Landscape):
        raise TypeError(f"landscape must be a gdviz Landscape, got {landscape!r}")
    name = landscape.name
    if name == "custom":
        description = {"formula": landscape.formula, "domain": [list(side) for side in landscape.domain]}
    else:  # a catalogue name, or a network slice's, which is the recipe that rebuilds it
        description = name
    try:
        rebuilt = landscape_from(description)
    except (TypeError, ValueError, ImportError):
        rebuilt = None
    if rebuilt is not None and _same_landscape(landscape, rebuilt):
        return description
    raise ValueError(
        f"cannot describe the landscape {name!r} ({getattr(landscape, 'formula', '?')}) in a state: a state "
        f"holds a catalogue landscape by its name ({', '.join(landscapes.names())}), a formula landscape "
        f"from gdviz.landscapes.from_formula, or a network slice (a name starting {NETWORK_PREFIX!r}); "
        f"a landscape built by hand, or a changed copy of one of those, has no such description")


def landscape_from(description):
    """The landscape a state describes (see `describe_landscape`): a name, "network:...", or a formula."""
    if isinstance(description, str):
        if description.startswith(NETWORK_PREFIX):
            from .. import network  # only a network slice needs it

            return network.from_slice_name(description)
        return landscapes.get(description)
    if isinstance(description, dict):
        unknown = sorted(set(description) - {"formula", "domain"})
        if unknown or "formula" not in description:
            raise ValueError(f"a formula landscape must be {{'formula': text, 'domain': [[xmin, xmax], "
                             f"[ymin, ymax]]}} (domain optional), got {description!r}")
        if not isinstance(description["formula"], str):
            raise TypeError(f"formula must be text, got {description['formula']!r}")
        domain = description.get("domain", DEFAULT_DOMAIN)
        return landscapes.from_formula(description["formula"], domain=domain)
    raise TypeError(f"landscape must be a catalogue name ({', '.join(landscapes.names())}), a network "
                    f"slice's name, or {{'formula': text, 'domain': ...}}; got {description!r}")


# --------------------------------------------------------------------------- a state, checked


def checked(state):
    """`state` with its keys checked: a dict of known keys, a pinned walk's too. Values are checked
    by the Explorer that is built from it, which names each one it refuses."""
    if not isinstance(state, dict):
        raise TypeError(f"state must be a dict such as Explorer.state() returns, got {state!r}")
    for where, keys, given in (("state", STATE_KEYS, state), ("state['pinned']", PINNED_KEYS,
                                                              state.get("pinned") or {})):
        if not isinstance(given, dict):
            raise TypeError(f"{where} must be a dict, got {given!r}")
        unknown = sorted(map(str, set(given) - set(keys)))
        if unknown:
            raise ValueError(f"{where} has unknown keys {unknown}; allowed: {', '.join(keys)}")
        if not isinstance(given.get("hyperparameters", {}), dict):
            raise TypeError(f"{where}['hyperparameters'] must be a dict such as {{'beta': 0.9}}, "
                            f"got {given['hyperparameters']!r}")
    return state


def preset_state(name):
    """A copy of the state of the lesson preset `name` (one of `PRESETS`)."""
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {', '.join(map(repr, PRESETS))}; got {name!r}")
    return _copy(PRESETS[name][2])


def _copy(state):
    return {key: _copy(value) if isinstance(value, dict) else value for key, value in state.items()}


def plain(value):
    """A setting's value as plain JSON-safe Python: numpy numbers to int, float or bool."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)


# --------------------------------------------------------------------------- a line, an address


def paste_line(state):
    """The one line that gives this view in a notebook cell: the import and `Explorer.from_state`."""
    return f"from gdviz.apps import Explorer; Explorer.from_state({checked(state)!r})"


def _text(value):
    """A value as a query string writes it: a number as Python prints it (exact), a bool as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_text(item) for item in np.ravel(value).tolist())
    return str(value)


def _walk_pairs(walk, prefix=""):
    pairs = [(prefix + key, _text(walk[key])) for key in ("optimizer", "alpha", "start", "max_steps")
             if key in walk]
    return pairs + [(prefix + key, _text(value)) for key, value in walk.get("hyperparameters", {}).items()]


def query_of(state):
    """The query string (without "?") that carries `state` in a page's address, readable by a person."""
    state = checked(state)
    landscape = state.get("landscape", "bowl")
    if isinstance(landscape, dict):
        domain = landscape.get("domain", DEFAULT_DOMAIN)
        pairs = [("formula", landscape["formula"]), ("domain", _text(domain))]
    else:
        pairs = [("landscape", landscape)]
    pairs += _walk_pairs(state)
    pairs += [(key, _text(state[key])) for key in ("step", "loss_below") if state.get(key) is not None]
    pairs += _walk_pairs(state.get("pinned") or {}, "pin.")
    return urllib.parse.urlencode(pairs, safe=",*()/:", quote_via=urllib.parse.quote)


def _number(key, text, kind=float):
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"the address's {key} must be {'a whole' if kind is int else 'a'} number, "
                         f"got {text!r}") from None


def _numbers(key, text, count):
    parts = text.split(",")
    if len(parts) != count:
        raise ValueError(f"the address's {key} must be {count} numbers separated by commas, got {text!r}")
    return [_number(key, part) for part in parts]


def _setting(key, text):
    """An optimizer's setting from its text: true/false, a whole number, or a number."""
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        return _number(key, text)


def _walk_from(pairs, into):
    if "optimizer" in pairs:  # its settings are its defaults, but for those the address gives
        into["hyperparameters"] = into.get("hyperparameters", {}) if into.get("optimizer") == pairs[
            "optimizer"] else {}
    for key, text in pairs.items():
        if key == "optimizer":
            into[key] = text
        elif key in ("alpha", "loss_below"):
            into[key] = _number(key, text)
        elif key in ("max_steps", "step"):
            into[key] = _number(key, text, int)
        elif key == "start":
            into[key] = _numbers(key, text, 2)
        else:
            into.setdefault("hyperparameters", {})[key] = _setting(key, text)
    return into


def state_from_query(query):
    """The state a page's query string carries (`query_of` writes one); "" gives {}, the defaults.

    A leading "?" is allowed; "token" and Voila's own parameters are left alone; a
    key given twice, or a value that is not what its key needs, is a ValueError.
    """
    if not isinstance(query, str):
        raise TypeError(f"query must be text such as 'landscape=ravine&alpha=0.1', got {query!r}")
    found = {}
    for key, text in urllib.parse.parse_qsl(query.removeprefix("?"), keep_blank_values=True):
        if key in FOREIGN or key.startswith("voila"):
            continue
        if key in found:
            raise ValueError(f"the address gives {key} twice: {found[key]!r} and {text!r}")
        found[key] = text
    state = preset_state(found.pop("preset")) if "preset" in found else {}
    if "formula" in found:
        landscape = {"formula": found.pop("formula")}
        if "domain" in found:
            low_x, high_x, low_y, high_y = _numbers("domain", found.pop("domain"), 4)
            landscape["domain"] = [[low_x, high_x], [low_y, high_y]]
        state["landscape"] = landscape
    elif "landscape" in found:
        state["landscape"] = found.pop("landscape")
    if "domain" in found:
        raise ValueError("the address's domain belongs to a formula: give formula=... with it")
    pinned = {key.removeprefix("pin."): found.pop(key) for key in list(found) if key.startswith("pin.")}
    if pinned:
        state["pinned"] = _walk_from(pinned, dict(state.get("pinned") or {}))
    return checked(_walk_from(found, state))


def link_target(from_link):
    """Where a link to a view points, relative to the page the app runs in; None where there is no page.

    Only Voila serves a page whose address reaches the kernel (as QUERY_STRING,
    with SERVER_SOFTWARE "voila/..."): there an Explorer that read the address
    (`Explorer.from_link`) links to its own page ("": the same address, new
    query), and one in another notebook links to explorer.ipynb beside it.
    """
    if not os.environ.get("SERVER_SOFTWARE", "").startswith("voila"):
        return None
    if from_link:
        return ""
    if os.environ.get("SCRIPT_NAME", "").endswith(".ipynb") and Path("explorer.ipynb").is_file():
        return "explorer.ipynb"
    return None


def share_html(state, target=None):
    """What the Explorer shows to share a view: the link (when there is a page to link to) and the line."""
    line = html.escape(paste_line(state))
    shown = f"to get this view in a notebook, paste this line into a cell: <code>{line}</code>"
    if target is None:
        return f"<small>{shown[0].upper()}{shown[1:]}</small>"
    href = html.escape(f"{target}?{query_of(state)}")
    link = f'<a href="{href}" target="_blank" rel="noopener">{href}</a>'
    return f"<small>A link that opens this view: {link}; {shown}</small>"
