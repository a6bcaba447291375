"""Named check programs: routines that run beside learner code when a check needs more than one call.

A check that must run `dense_forward` and then `dense_backward` on its cache, or build an expression out
of a learner's `Value` class and call `backward()`, cannot do it from the grader's process: caches and
objects are the learner's and never cross the boundary. So it asks the worker to run a named program
(`learner.program("name", *args)`). A program takes the learner's namespace and plain arguments, calls the
learner's functions, and returns plain data only (numbers, lists, float arrays); the grader compares that
with the reference. Like the test functions, programs hold no answers: they are inputs and plumbing.

Each lesson keeps its programs in its own module here; every module in this folder is imported once, when
the worker starts, and registers its programs with `@program`.
"""

import importlib
import pkgutil

import numpy as np

from ..plain import describe_exception

REGISTRY = {}


class ProgramError(Exception):
    """What a learner's code gave a program cannot be used (e.g. not an (out, cache) pair): the message
    says so in the learner's terms."""


def program(function):
    """Register `function(namespace, *args, **kwargs)` as a program named after it."""
    REGISTRY[function.__name__] = function
    return function


def learner_function(namespace, name):
    """The learner's function `name`, or a ProgramError saying it is missing."""
    function = namespace.get(name)
    if not callable(function):
        raise ProgramError(f"`{name}` is not defined. Keep the function's name and signature as given.")
    return function


def kind(value):
    """What a learner's return value is, in a message's words ("an array of shape (3, 2)", "None")."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} items"
    return "None" if value is None else f"a {type(value).__name__[:60]}"


def call(namespace, name, *args, text=None, **kwargs):
    """Call the learner's function `name`; an untouched stub becomes a ProgramError that names it. With
    `text` (the call as the learner should read it), any other exception becomes "<text> raised ..."."""
    try:
        return learner_function(namespace, name)(*args, **kwargs)
    except NotImplementedError:
        raise ProgramError(
            f"`{name}` raised NotImplementedError: replace the `raise NotImplementedError()` stub with code."
        ) from None
    except ProgramError:
        raise
    except Exception as exc:  # noqa: BLE001 - the learner's failure, reported in the learner's terms
        if text is None:
            raise
        raise ProgramError(f"{text} raised {describe_exception(exc)}") from None


def load():
    """Import every lesson's module in this package (idempotent)."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


load()
