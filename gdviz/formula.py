"""Formulas typed as text: read safely into a tree, evaluated with numpy, differentiated exactly.

    >>> bump = parse("x**2 * sin(y)")
    >>> bump.written("d/dx")
    'sin(y)*(2*x)'
    >>> [float(part) for part in bump.grad(3.0, 0.0)]
    [0.0, 9.0]

What a formula may hold, and nothing else: numbers (every one a float, so `9**9**9` is
inf rather than an integer with hundreds of millions of digits), the two parameters `x`
and `y` (`w1` and `w2` are the same two), `+ - * / **`, unary minus and plus,
parentheses, and the functions sin cos tan exp log sqrt abs tanh, each called with one
argument. Anything else (another name, an attribute, another function, a keyword, a
subscript, a string, a comparison, ...) is a ValueError naming the piece and its column.
The text is read by `ast.parse` into a syntax tree, which is only inspected: nothing is
ever evaluated or compiled as Python code. Hostile text stays cheap: at most 1000
characters, then at most 300 pieces nested at most 50 deep (a sum nests one level per
term, since a + b + c is (a + b) + c).

The tree. Each piece becomes a node: an operation and the nodes it reads. A piece that
occurs twice is one node (the x*y of sin(x*y) + x*y is computed once). Every walk over
the tree runs over an ordered list, never by recursion, so no tree can exhaust Python's
stack; nodes are numbered as they are made, so a node's inputs always come before it.

The derivatives: the chain rule as code, in one backward sweep (reverse mode, the sweep
backpropagation makes). The slope of the loss with respect to itself is 1. Going from the
loss towards x and y, each node hands every node it reads its own slope times its local
derivative (sin hands u cos(u), u * v hands u the slope times v), and a node read in
several places adds up what it is handed. What x and y receive is the gradient, written
as new nodes of the same tree, which share what the loss computes. The Hessian is the
same sweep run on each component of the gradient. Local derivatives, with the
conventions where the usual one is missing:

    sin' = cos    cos' = -sin    tan' = 1 + tan^2    exp' = exp    log' = 1/u
    sqrt' = 1 / (2 sqrt u)    abs' = sign(u) (0 at 0)    tanh' = 1 - tanh^2
    (u**c)' = c u**(c-1) u'                       for a constant exponent c
    (u**v)' = u**v (v' log u + v u'/u)            otherwise (NaN where u <= 0)

Trivial pieces are dropped as the derivatives are built (0*u, 1*u, u + 0, u**1, and
constants multiplied out), so they stay small. Each operation of the loss adds at most
five to the gradient (none for + and -, two for *, five for u**v), plus one addition for
each further use of a shared value; on formulas like the catalogue's the loss with its
gradient costs two to three times the loss alone (`Formula.count`), where centred probing
reads the loss five times.

Evaluation ignores numpy's warnings: where the formula is undefined (log of a negative
number, sqrt below zero) the loss is NaN, and so are its derivatives there, so a surface
drawn from it has gaps.
"""

import ast
import re
import reprlib
import warnings
from functools import cached_property

import numpy as np

__all__ = ["FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "MAX_NODES", "PARTS", "VARIABLES", "Formula", "parse"]

MAX_LENGTH, MAX_NODES, MAX_DEPTH = 1000, 300, 50
VARIABLES = {"x": "x", "y": "y", "w1": "x", "w2": "y"}
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh")
PARTS = ("loss", "d/dx", "d/dy", "d2/dx2", "d2/dxdy", "d2/dy2")
ALLOWED = ("a formula may use x and y (or w1 and w2), numbers, + - * / ** and parentheses, "
           "and the functions " + ", ".join(FUNCTIONS))

# What each operation computes. Evaluation looks them up here at every call (a test counts them).
_NUMPY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
          "pow": np.power, "neg": np.negative, "sin": np.sin, "cos": np.cos, "tan": np.tan,
          "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh,
          "sign": np.sign}
_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_KINDS = {ast.Attribute: "an attribute", ast.Subscript: "a subscript", ast.Slice: "a slice",
          ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
          ast.DictComp: "a comprehension", ast.GeneratorExp: "a comprehension",
          ast.Compare: "a comparison", ast.BoolOp: "'and' or 'or'", ast.IfExp: "an if-else",
          ast.Tuple: "a tuple", ast.List: "a list", ast.Dict: "a dict", ast.Set: "a set",
          ast.JoinedStr: "an f-string", ast.NamedExpr: "an assignment", ast.Starred: "a starred argument",
          ast.Await: "an await", ast.Yield: "a yield", ast.YieldFrom: "a yield"}
_OPERATORS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
              ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.Invert: "~", ast.Not: "not"}
# How tightly each operation binds when written out (numbers, names and calls bind tightest, 5).
_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
_SYMBOLS = {"add": " + ", "sub": " - ", "mul": "*", "div": "/", "pow": "**"}
_WRITTEN_LIMIT = 2000  # characters; a longer derivative is summarised


class _Node:
    """One operation (or a number, or x or y) and the nodes it reads; `index` orders the tree."""

    __slots__ = ("op", "args", "value", "index")

    def __init__(self, op, args, value, index):
        self.op, self.args, self.value, self.index = op, args, value, index


def _is(node, number):
    return node.op == "const" and node.value == number


class _Tree:
    """The nodes of one formula and its derivatives; asking twice for the same piece gives the same node."""

    def __init__(self):
        self.nodes = {}

    def node(self, op, *args, value=None):
        if args and all(arg.op == "const" for arg in args):  # constants in, a constant out
            with np.errstate(all="ignore"):
                value, op, args = float(_NUMPY[op](*(arg.value for arg in args))), "const", ()
        # float.hex tells 0.0 from -0.0 (1/x tells them apart) and keys NaN too.
        key = (op, value.hex() if op == "const" else None, tuple(arg.index for arg in args))
        if key not in self.nodes:
            self.nodes[key] = _Node(op, args, value, len(self.nodes))
        return self.nodes[key]

    # Builders for derivatives: they drop what changes nothing, so derivatives stay small.
    def const(self, value):
        return self.node("const", value=float(value))

    def add(self, a, b):
        return b if _is(a, 0) else a if _is(b, 0) else self.node("add", a, b)

    def sub(self, a, b):
        return a if _is(b, 0) else self.neg(b) if _is(a, 0) else self.node("sub", a, b)

    def neg(self, a):
        return a.args[0] if a.op == "neg" else self.node("neg", a)

    def mul(self, a, b):
        if b.op == "const":
            a, b = b, a  # a number first, so numbers meet and multiply out
        if _is(a, 0):
            return a
        if _is(a, 1):
            return b
        if a.op == "const" and b.op == "mul" and b.args[0].op == "const":
            return self.mul(self.const(a.value * b.args[0].value), b.args[1])
        return self.node("mul", a, b)

    def div(self, a, b):
        return a if _is(b, 1) else self.node("div", a, b)

    def pow(self, a, b):
        return a if _is(b, 1) else self.const(1) if _is(b, 0) else self.node("pow", a, b)


def _order(roots):
    """Every node the roots read, once each, inputs before the nodes that read them."""
    seen, stack = {}, list(roots)
    while stack:
        node = stack.pop()
        if node.index not in seen:
            seen[node.index] = node
            stack.extend(node.args)
    return [seen[index] for index in sorted(seen)]


def _handed(tree, node, slope):
    """What `node` hands each node it reads: (input, slope * local derivative, negated)."""
    op, args = node.op, node.args
    u = args[0]
    if op in ("add", "sub"):
        return [(u, slope, False), (args[1], slope, op == "sub")]
    if op == "neg":
        return [(u, slope, True)]
    if op == "mul":
        return [(u, tree.mul(slope, args[1]), False), (args[1], tree.mul(slope, u), False)]
    if op == "div":  # d(u/v) = du / v - (u/v) dv / v
        over = tree.div(slope, args[1])
        return [(u, over, False), (args[1], tree.mul(over, node), True)]
    if op == "pow":
        v = args[1]
        if v.op == "const":
            return [(u, tree.mul(slope, tree.mul(v, tree.pow(u, tree.const(v.value - 1)))), False)]
        scaled = tree.mul(slope, node)  # slope * u**v, shared by both inputs
        to_u = [] if u.op == "const" else [(u, tree.div(tree.mul(scaled, v), u), False)]
        return to_u + [(v, tree.mul(scaled, tree.node("log", u)), False)]
    if op == "log":
        return [(u, tree.div(slope, u), False)]
    if op == "sqrt":
        return [(u, tree.div(slope, tree.mul(tree.const(2), node)), False)]
    square = tree.mul(node, node) if op in ("tan", "tanh") else None
    local = {"sin": lambda: tree.node("cos", u), "cos": lambda: tree.node("sin", u), "exp": lambda: node,
             "tan": lambda: tree.add(tree.const(1), square), "tanh": lambda: tree.sub(tree.const(1), square),
             "abs": lambda: tree.node("sign", u), "sign": lambda: tree.const(0)}[op]()
    return [(u, tree.mul(slope, local), op == "cos")]


def _gradient(tree, root):
    """(d root / dx, d root / dy) as nodes of `tree`: one backward sweep from `root`.

    Slopes travel as (node, negated) so that a subtraction costs no extra negation: two
    slopes handed to one node meet as a sum or a difference, and only a slope still
    negated when it reaches x or y is negated for real.
    """
    slopes = {root.index: (tree.const(1), False)}
    for node in reversed(_order([root])):
        if node.index not in slopes or not node.args:
            continue
        slope, negated = slopes[node.index]
        for target, part, flip in _handed(tree, node, slope):
            if target.op == "const" or _is(part, 0):
                continue
            sign, old = negated != flip, slopes.get(target.index)
            if old is None:
                slopes[target.index] = (part, sign)
            elif old[1] == sign:
                slopes[target.index] = (tree.add(old[0], part), sign)
            else:
                slopes[target.index] = (tree.sub(part, old[0]) if old[1] else tree.sub(old[0], part), False)
    found = []
    for name in ("x", "y"):
        slope, negated = slopes.get(tree.node(name).index, (tree.const(0), False))
        found.append(tree.neg(slope) if negated else slope)
    return tuple(found)


class _Program:
    """The nodes that some roots need, as a flat list of numpy calls, inputs first."""

    def __init__(self, roots):
        order = _order(roots)
        slot = {node.index: place for place, node in enumerate(order)}
        self.size, self.roots = len(order), [slot[root.index] for root in roots]
        self.leaves = [(slot[node.index], node.op, node.value) for node in order if not node.args]
        self.steps = [(slot[node.index], node.op, [slot[arg.index] for arg in node.args])
                      for node in order if node.args]

    def run(self, x, y):
        values = [None] * self.size
        for place, op, value in self.leaves:
            values[place] = x if op == "x" else y if op == "y" else value
        with np.errstate(all="ignore"):
            for place, op, args in self.steps:
                values[place] = _NUMPY[op](*[values[arg] for arg in args])
        return [values[root] for root in self.roots]


class Formula:
    """A formula in x and y with its exact first and second derivatives (see the module's docstring).

    `loss(x, y)`, `grad(x, y) -> (d/dx, d/dy)` and `hess(x, y) -> (d2/dx2, d2/dxdy, d2/dy2)`
    work elementwise on numbers or arrays of one shape, as `Landscape` wants them; every
    derivative is NaN where the loss is. `written(part)` writes a part out as text,
    `count(*parts)` says how many numpy operations computing those parts together costs.
    """

    def __init__(self, text, tree, loss):
        self.text = text
        self._tree, self._loss = tree, loss
        self._grad = _gradient(tree, loss)
        self._programs = {}

    @cached_property
    def _hess(self):  # built on first use: only second-order methods need it
        xx, xy = _gradient(self._tree, self._grad[0])
        return xx, xy, _gradient(self._tree, self._grad[1])[1]

    def _nodes(self, parts):
        for part in parts:
            if part not in PARTS:
                raise ValueError(f"part must be one of {', '.join(map(repr, PARTS))}; got {part!r}")
        built = [self._loss, *self._grad, *(self._hess if set(parts) & set(PARTS[3:]) else ())]
        table = dict(zip(PARTS, built, strict=False))
        return [table[part] for part in parts]

    def _program(self, parts):
        if parts not in self._programs:
            self._programs[parts] = _Program(self._nodes(parts))
        return self._programs[parts]

    def evaluate(self, x, y, parts=("loss",)):
        """The named parts (of `PARTS`) at points (x, y), as a list; derivatives are NaN where the loss is."""
        parts = tuple(parts)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        shape = np.broadcast_shapes(x.shape, y.shape)
        loss, *values = self._program(("loss", *parts)).run(x, y)
        undefined = np.isnan(loss)
        if np.any(undefined):
            values = [np.where(undefined, np.nan, value) for value in values]
        shaped = [np.broadcast_to(np.asarray(value, dtype=float), shape) for value in values]
        return [value[()] if not shape else np.array(value) for value in shaped]

    def loss(self, x, y):
        return self.evaluate(x, y)[0]

    def grad(self, x, y):
        return tuple(self.evaluate(x, y, PARTS[1:3]))

    def hess(self, x, y):
        return tuple(self.evaluate(x, y, PARTS[3:]))

    def count(self, *parts):
        """How many numpy operations computing these parts (default: the loss) costs, shared work once."""
        return len(_Program(self._nodes(parts or ("loss",))).steps)

    def written(self, part="loss"):
        """A part (of `PARTS`) written out as a formula; `sign` appears in derivatives of abs."""
        return _written(self._nodes((part,))[0])

    def __repr__(self):
        return f"Formula({self.text!r})"


def _number(value):
    if np.isfinite(value) and value.is_integer() and abs(value) < 1e15 and str(value) != "-0.0":
        return str(int(value))
    return repr(value)


def _written(root):
    """The text of `root`, with the parentheses precedence needs, built inputs first."""
    texts = {}  # node index -> (text, precedence); missing when too long to write
    for node in _order([root]):
        op, args = node.op, [texts.get(arg.index) for arg in node.args]
        if not args:
            text = op if op in ("x", "y") else _number(node.value)
            texts[node.index] = (text, 3 if text.startswith("-") else 5)
        elif None not in args:
            rank = _PRECEDENCE.get(op, 5)
            # The least precedence each input may show unbracketed: a - (b - c), (-2)**x, x**-y, -(x*y).
            needs = {1: (1, 2), 2: (2, 3), 3: (4,), 4: (5, 3), 5: (0,)}[rank]
            shown = [text if level >= need else f"({text})"
                     for (text, level), need in zip(args, needs, strict=True)]
            text = (f"{op}({shown[0]})" if rank == 5 else "-" + shown[0] if op == "neg"
                    else _SYMBOLS[op].join(shown))
            if len(text) <= _WRITTEN_LIMIT:
                texts[node.index] = (text, rank)
    found = texts.get(root.index)
    return found[0] if found else f"(too long to write out: {len(_order([root]))} nodes)"


# ---------------------------------------------------------------- reading text

def _place(text, node):
    """Where an ast node starts, for people: "column 5" (counting from 1), or "line 2, column 5"."""
    lines = re.split(r"\r\n|\r|\n", text)
    line = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
    column = len(line.encode()[:node.col_offset].decode(errors="ignore")) + 1
    return f"column {column}" if len(lines) == 1 else f"line {node.lineno}, column {column}"


def _piece(text, node=None):
    """The text of an ast node (or the whole text), quoted and cut to 40 characters."""
    piece = text if node is None else ast.get_source_segment(text, node) or ""
    return repr(piece if len(piece) <= 40 else piece[:37] + "...")


def _refuse(text, node, what):
    where = _place(text, node)
    raise ValueError(f"formula: {what} {_piece(text, node)} at {where} is not allowed; {ALLOWED}")


def _inputs(text, node):
    """The ast nodes `node` reads, once it is known to be allowed; otherwise a ValueError naming it."""
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):  # bool is a kind of int; type() tells them apart
            kinds = {bool: "the truth value", str: "the string", complex: "the complex number"}
            _refuse(text, node, kinds.get(type(node.value), "the constant"))
        return []
    if isinstance(node, ast.Name):
        if node.id in VARIABLES:
            return []
        _refuse(text, node, "the function without an argument" if node.id in FUNCTIONS else "the name")
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            _refuse(text, node, f"the operator {_OPERATORS.get(type(node.op), '?')} in")
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            _refuse(text, node, f"the operator {_OPERATORS.get(type(node.op), '?')} in")
        return [node.operand]
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            _refuse(text, node, "the call" if name is None else f"the function {name!r} in")
        if node.keywords:
            _refuse(text, node.keywords[0], f"{name} takes no keywords:")
        if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            _refuse(text, node, f"{name} takes exactly one argument:")
        return [node.args[0]]
    _refuse(text, node, _KINDS.get(type(node), f"a {type(node).__name__}"))


def _build(tree, node, inputs):
    if isinstance(node, ast.Constant):
        try:
            return tree.const(float(node.value))
        except OverflowError:  # an integer literal beyond the largest float
            return tree.const(np.inf)
    if isinstance(node, ast.Name):
        return tree.node(VARIABLES[node.id])
    if isinstance(node, ast.BinOp):
        return tree.node(_BINARY[type(node.op)], *inputs)
    if isinstance(node, ast.UnaryOp):
        return tree.node("neg", *inputs) if isinstance(node.op, ast.USub) else inputs[0]
    return tree.node(node.func.id, *inputs)


def parse(text):
    """A `Formula` from text in x and y (w1, w2), such as "(1 - x)**2 + 100*(y - x**2)**2".

    Raises TypeError when `text` is not a string and ValueError, naming the piece and its
    column, for anything outside the formula language or beyond its limits.
    """
    if not isinstance(text, str):
        raise TypeError(f"formula text must be a string such as 'x**2 + y**2', got {reprlib.repr(text)} "
                        f"({type(text).__name__})")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(f"formula text is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    if not text:
        raise ValueError("formula text is empty: write a formula in x and y, such as 'x**2 + y**2'")
    try:
        with warnings.catch_warnings():  # the tokenizer warns of odd escapes in strings, refused anyway
            warnings.simplefilter("ignore")
            body = ast.parse(text, mode="eval").body
    except SyntaxError as error:
        line = f"line {error.lineno}, " if "\n" in text else ""
        where = "" if error.offset is None else " at its end" if error.offset < 1 else (
            f" at {line}column {error.offset}")
        raise ValueError(f"formula {_piece(text)} cannot be read{where}: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:  # null bytes, lone surrogates, deep nests
        raise ValueError(f"formula {_piece(text)} cannot be read: {error}") from None
    # Walk the syntax tree with a list, checking each node before reading its inputs.
    tree, built, stack, seen = _Tree(), {}, [(body, 1, None)], 0
    while stack:
        node, depth, inputs = stack.pop()
        if inputs is None:
            seen += 1
            if seen > MAX_NODES:
                raise ValueError(f"formula has more than {MAX_NODES} pieces (numbers, names, operations): "
                                 f"piece {seen} is {_piece(text, node)} at {_place(text, node)}")
            if depth > MAX_DEPTH:
                raise ValueError(f"formula nests more than {MAX_DEPTH} levels deep at {_place(text, node)} "
                                 f"({_piece(text, node)}); a sum or product nests one level per term")
            inputs = _inputs(text, node)
            stack.append((node, depth, inputs))
            stack.extend((child, depth + 1, None) for child in reversed(inputs))  # leftmost first
        else:
            built[id(node)] = _build(tree, node, [built[id(child)] for child in inputs])
    return Formula(text, tree, built[id(body)])
