"""Words for people: the one table that turns the API's identifiers into what a reader sees.

Names in the code are identifiers (`gradient_descent`, `cross_entropy`, `max_steps`,
`beta1`); titles, legends, axis titles and control labels say them in words
("plain descent", "cross-entropy", "out of steps", "β1"). Values a student types or a
checker answers (an optimizer's name, a stop reason) stay identifiers: only what is
displayed goes through here. Standard library only, so figures and apps both use it.

    >>> say("final loss 2.34 (max_steps) for gradient_descent")
    'final loss 2.34 (out of steps) for plain descent'
"""

import re

__all__ = ["WORDS", "in_words", "say"]

WORDS = {
    # optimizers
    "gradient_descent": "plain descent",
    "nesterov": "Nesterov",
    "adagrad": "Adagrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "sgd": "SGD",
    "newton": "Newton",
    "line_search": "line search",
    # losses
    "cross_entropy": "cross-entropy",
    "log_loss": "log loss",
    "svm": "SVM",
    # why a walk stopped, and the settings that stop it
    "max_steps": "out of steps",
    "loss_below": "loss low enough",
    "grad_below": "slope flat enough",
    "no_improvement": "no longer improving",
    "escape_radius": "escape radius",
    "min_delta": "least improvement",
    # settings
    "beta1": "β1",
    "beta2": "β2",
    "batch_size": "batch size",
}
_IDENTIFIER = re.compile(r"(?<![\w.])(" + "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True))
                         + r")(?![\w(])")


def in_words(identifier):
    """The words for one identifier ("gradient_descent" -> "plain descent"); other text unchanged."""
    return WORDS.get(identifier, identifier)


def say(text):
    """`text` with every identifier of `WORDS` that stands as a word replaced by its words.

    An identifier followed by "(" is a call shown as code and stays; so does one inside a longer
    name (`my_gradient_descent`) or after a dot (`optimizers.adam`).
    """
    return text if not isinstance(text, str) else _IDENTIFIER.sub(lambda found: WORDS[found.group(1)], text)
