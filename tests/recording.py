"""What widgets send to their page, recorded at the comm: the one recorder of the tests and benchmarks.

ipywidgets hands every message meant for the page to its widget's comm, which it gets from
`comm.create_comm`: the hook the `comm` package offers a host to replace (in a kernel it makes
comms that reach the page; elsewhere `comm.DummyComm`s, which drop everything). `install()` makes
it return a `RecordingComm`, which keeps each message it is asked to send, so a test reads what a
widget sent as `Wire(widget)` and a benchmark counts what every comm sent as a `Tally()`.

Nothing here touches a widget's own attributes: a change to plotly's or ipywidgets' internals
cannot make the recording miss a message the page would have received.
"""

from __future__ import annotations

import json
import weakref
from typing import NamedTuple

import comm

BUNDLE_CHARS = 1_000_000  # a state string this long is plotly's JavaScript bundle (~5 MB)
# Plotly's FigureWidget sends two edit counters before each Plotly operation (_py2js_update,
# _py2js_restyle, ...), and resets the operation to None after it.
EDIT_COUNTERS = {"_last_trace_edit_id", "_last_layout_edit_id"}


class Message(NamedTuple):
    """One message a comm was asked to send: its kind ("comm_open", "comm_msg", "comm_close")."""

    kind: str
    data: dict
    buffers: tuple

    @property
    def state(self) -> dict:
        """The widget state the message carries ({} for a custom message)."""
        return self.data.get("state", {}) if isinstance(self.data, dict) else {}

    @property
    def size(self) -> int:
        """Its bytes as a kernel sends them: the JSON text plus the binary buffers."""
        return len(json.dumps(self.data, default=str)) + sum(memoryview(b).nbytes for b in self.buffers)

    @property
    def bundles(self) -> list[str]:
        """plotly's JavaScript bundle, each time this message carries it."""
        return [value for value in self.state.values()
                if isinstance(value, str) and len(value) > BUNDLE_CHARS]


class RecordingComm(comm.DummyComm):
    """A comm that keeps every message it is asked to send (`messages`) and refuses what a kernel would."""

    made: weakref.WeakSet[RecordingComm] = weakref.WeakSet()  # every one alive, for totals

    def __init__(self, *args, **kwargs):
        self.messages: list[Message] = []  # set before DummyComm's __init__ opens the comm
        RecordingComm.made.add(self)
        super().__init__(*args, **kwargs)

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        # A kernel's comm refuses strided buffers; a comm that drops messages would not notice.
        assert all(memoryview(buffer).contiguous for buffer in buffers or []), "a strided buffer"
        self.messages.append(Message(msg_type, data if data is not None else {}, tuple(buffers or ())))


def install() -> None:
    """From now on every widget made records what it sends (`comm.create_comm` is the host's hook)."""
    comm.create_comm = RecordingComm


class Tally:
    """Every message that all recording comms, old and new, send from now on: a benchmark's totals."""

    def __init__(self):
        self._start = weakref.WeakKeyDictionary({made: len(made.messages) for made in RecordingComm.made})

    @property
    def messages(self) -> list[Message]:
        return [message for made in list(RecordingComm.made)
                for message in made.messages[self._start.get(made, 0):]]

    @property
    def bytes(self) -> int:
        return sum(message.size for message in self.messages)


class Wire:
    """What one widget sends to its page from now on (or since `clear()`), message by message."""

    def __init__(self, widget):
        self.comm = widget.comm
        assert isinstance(self.comm, RecordingComm), "recording.install() must run before the widget is made"
        self._start = len(self.comm.messages)

    def clear(self) -> None:
        self._start = len(self.comm.messages)

    @property
    def messages(self) -> list[Message]:
        return self.comm.messages[self._start:]

    @property
    def states(self) -> list[dict]:
        """The state each message carries."""
        return [message.state for message in self.messages]

    @property
    def plotly_messages(self) -> list[tuple]:
        """The plotly operations sent (update, restyle, addTraces...), without the resets to None."""
        return [(key, value, message.buffers) for message in self.messages
                for key, value in message.state.items() if key.startswith("_py2js_") and value]

    @property
    def update(self) -> dict:
        """The one Plotly.update of a change: fails unless exactly one plotly operation went out."""
        ((kind, update, _),) = self.plotly_messages
        assert kind == "_py2js_update"
        return update

    def only_bookkeeping_besides_the_update(self) -> None:
        """Every other message is plotly's edit counters or the update's reset to None."""
        for message in self.messages:
            state = message.state
            if state.get("_py2js_update"):
                continue
            bookkeeping = set(state) <= EDIT_COUNTERS or state == {"_py2js_update": None}
            assert bookkeeping and not message.buffers, message

    @property
    def bytes(self) -> int:
        return sum(message.size for message in self.messages)
