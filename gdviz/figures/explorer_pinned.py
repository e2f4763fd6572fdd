"""A walk pinned for comparison in the explorer's figure: faded, with its own loss curve and a label.

The pinned walk is drawn by the same roles as the live one with a label after
the space ("trail pinned": the style of "trail", see `style.kind_of`), under a
look of its own: grey and dashed, so the live walk stays in front. Its traces
are in every explorer figure from the start, empty, so pinning and unpinning
only fill or empty them (an app's update never adds a trace).

    >>> sorted(empty_pinned()) == sorted(PINNED_ROLES)
    True
"""

import numpy as np

from . import theme
from .explorer_data import empty_path, path_of, path_update

__all__ = ["PINNED_LOOK", "PINNED_ROLES", "empty_pinned", "pinned_data", "pinned_update"]

PINNED_ROLES = ("trail pinned", "map_trail pinned", "loss_curve pinned", "map_trail pinned label")
PINNED_INK = "#8c8c8c"  # faded: grey behind the live walk, still 3.4 to 1 on white

_POINT = "step %{pointNumber}<br>w = (%{x:.3f}, %{y:.3f})<br>loss "
_CURVE_POINT = "step %{x}<br>w = (%{customdata[0]:.3f}, %{customdata[1]:.3f})<br>loss %{y:.4g}"
# The look and the hovers: fixed, set when a figure is built and never sent again.
PINNED_LOOK = {
    "trail pinned": {"name": "pinned walk", "mode": "lines", "opacity": 0.7,
                     "line": {"color": PINNED_INK, "width": 4, "dash": "dash"},
                     "hovertemplate": _POINT + "%{z:.4g}<extra>pinned walk</extra>"},
    "map_trail pinned": {"name": "pinned walk", "line": {"color": PINNED_INK, "width": 2, "dash": "dot"},
                         "marker": {"size": 3, "color": PINNED_INK},
                         "hovertemplate": _POINT + "%{customdata:.4g}<extra>pinned walk</extra>"},
    "loss_curve pinned": {"name": "pinned walk's loss",
                          "line": {"color": PINNED_INK, "width": 2, "dash": "dot"},
                          "marker": {"size": 2, "color": PINNED_INK},
                          "hovertemplate": _CURVE_POINT + "<extra>pinned walk</extra>"},
    "map_trail pinned label": {"name": "pinned walk's settings", "mode": "text", "hoverinfo": "skip",
                               "hovertemplate": None, "textfont": {"size": 12, "color": theme.INK}},
}


def pinned_update(frame_, trajectory, label):
    """{role: data} of a pinned walk: its trail on bowl and map, its loss curve, and `label`.

    `label` (its settings in words) stands on the map at the end of the walk,
    held inside the map: below the end point (above it in the map's lowest
    fifth), leaning away from the nearer side edge, so its text stays on the map.
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be text, the pinned walk's settings in words; got {label!r}")
    pinned = {f"{role} pinned": data for role, data in path_update(trajectory).items()}
    (x, y), (xlow, xhigh), (ylow, yhigh) = path_of(None, trajectory).w[-1], frame_.x_range, frame_.y_range
    x, y = float(np.clip(x, xlow, xhigh)), float(np.clip(y, ylow, yhigh))
    across = (x - xlow) / (xhigh - xlow)
    side = "left" if across > 2 / 3 else "right" if across < 1 / 3 else "center"
    vertical = "top" if (y - ylow) / (yhigh - ylow) < 0.2 else "bottom"
    pinned["map_trail pinned label"] = {"x": [x], "y": [y], "text": [label],
                                        "textposition": f"{vertical} {side}"}
    return pinned


def empty_pinned():
    """`pinned_update`'s roles with no walk pinned: all of them empty."""
    pinned = {f"{role} pinned": data for role, data in empty_path().items()}
    pinned["map_trail pinned label"] = {"x": [], "y": [], "text": []}
    return pinned


def pinned_data(frame_, pinned=None):
    """The pinned roles' data for building a figure: `pinned` is (trajectory, label), or None for
    none; each with its look and hover."""
    data = empty_pinned() if pinned is None else pinned_update(frame_, *pinned)
    return {role: {**PINNED_LOOK[role], **data[role]} for role in PINNED_ROLES}
