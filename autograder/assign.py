"""`python -m autograder assign`: fill the source notebooks from their single sources of truth, then
regenerate `release/` with nbgrader.

Answer cells and given cells get their code from `solutions/`, test cells keep the visible examples the
author wrote and get the hidden checks and their points from `autograder.checks`, the `helpers` cell gets
the examples helper from `autograder/notebook_helpers.py`, and each lesson's points header is rebuilt from
the same points.
See docs/authoring.md for how cells are marked.
"""

import ast
import importlib
import inspect
import os
import sys
import textwrap
from pathlib import Path

import nbformat

from solutions import LESSON_MODULES

from . import ROOT, checks, notebook_helpers, samples

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def source_path(lesson, root=ROOT):
    return Path(root) / "source" / lesson / f"{lesson}.ipynb"


def solution_cell(func):
    """The function's source, with its body (after any docstring) between the solution markers.

    A class (lesson 10's `Value`) gets one region per method, so its stub keeps every signature; a method
    whose docstring starts with "Given" stays whole, as a worked example.
    """
    lines = textwrap.dedent(inspect.getsource(func)).rstrip("\n").split("\n")
    node = ast.parse("\n".join(lines)).body[0]
    if isinstance(node, ast.ClassDef):
        methods = [m for m in node.body if isinstance(m, ast.FunctionDef)]
        regions = [m for m in methods if not (ast.get_docstring(m) or "").startswith("Given")]
    else:
        regions = [node]
    for region in reversed(regions):  # from the bottom up, so earlier line numbers stay valid
        body = region.body
        has_doc = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1
        first = body[1] if has_doc else body[0]
        start, end = first.lineno - 1, region.end_lineno  # comments just above the first statement stay
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        lines = lines[:start] + [indent + BEGIN] + lines[start:end] + [indent + END] + lines[end:]
    return "\n".join(lines)


HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HEADER = (
    "# Examples for `{function}`: run this cell to check your function.\n"
    "# Hidden tests ({points}) also run here when your notebook is graded."
)


def examples_source(source):
    """The examples an author wrote in a test cell: its source without the generated header and regions."""
    lines, hidden = [], False
    for line in source.split("\n"):
        if line.strip() == HIDDEN_BEGIN:
            hidden = True
        elif line.strip() == HIDDEN_END:
            hidden = False
        elif not hidden:
            lines.append(line)
    while lines and lines[0].startswith(("# Examples for `", "# Hidden tests (")):
        lines = lines[1:]
    return "\n".join(lines).strip("\n")


def test_cell(lesson, function, points, examples):
    """The visible examples, then the hidden checks, in nbgrader's pattern for a graded test cell.

    The first hidden region makes a failed example non-fatal while grading (nbgrader zeroes a cell that
    raises), so the cell's score is the hidden checks' points, exactly as `python -m autograder grade`
    gives. In the release both regions are gone: a failed example fails the cell, and so does validate.
    """
    worth = f"{points:g} point{'' if points == 1 else 's'}"
    gap = "\n\n" if examples.startswith(("def ", "class ", "@")) else ""  # as ruff format spaces a def
    return (
        f"{HEADER.format(function=function, points=worth)}\n"
        f"{HIDDEN_BEGIN}\n"
        "from autograder.nbgrader_cell import grade_function\n\n"
        "examples.fatal = False  # while graded, a failed example is reported and the hidden tests score\n"
        f"{gap}{HIDDEN_END}\n"
        f"{examples}\n"
        f"{HIDDEN_BEGIN}\n"
        f'grade_function("{lesson}", "{function}", globals())\n'
        f"{HIDDEN_END}"
    )


def helpers_cell():
    """The examples helper for a notebook: autograder/notebook_helpers.py after its module docstring."""
    text = inspect.getsource(notebook_helpers)
    docstring_end = ast.parse(text).body[0].end_lineno
    return "\n".join(text.split("\n")[docstring_end:]).strip("\n")


def points_header(points):
    rows = "\n".join(f"| `{name}` | {value:g} |" for name, value in points.items())
    total = sum(points.values())
    return (
        "## Points\n\n"
        "| Function | Points |\n|---|---|\n"
        f"{rows}\n| **Total** | **{total:g}** |\n\n"
        "Each function's points are split over several hidden checks, so a function that is partly right "
        "earns part of its points."
    )


def fill(nb, lesson):
    """Return the names filled, after writing every generated cell of `nb` (in place)."""
    module = importlib.import_module(f"solutions.{LESSON_MODULES[lesson]}")
    points = checks.points_by_function(lesson)
    answered, tested, helped = set(), set(), False
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if "points" in cell.metadata.get("tags", []):
            cell.source = points_header(points)
        elif meta.get("solution") and cell.cell_type == "code":
            if grade_id not in points:
                raise ValueError(f"{lesson}: answer cell {grade_id!r} has no hidden checks")
            cell.source = solution_cell(getattr(module, grade_id))
            answered.add(grade_id)
        elif meta.get("grade") and grade_id.startswith("test_"):
            function = grade_id.removeprefix("test_")
            if function not in points:
                raise ValueError(f"{lesson}: test cell {grade_id!r} has no hidden checks")
            examples = examples_source(cell.source)
            if not examples:
                raise ValueError(f"{lesson}: test cell {grade_id!r} has no visible examples")
            cell.source = test_cell(lesson, function, points[function], examples)
            meta["points"] = points[function]
            tested.add(function)
        elif grade_id == "helpers":
            cell.source = helpers_cell()
            helped = True
        elif grade_id.startswith("given_"):
            cell.source = textwrap.dedent(inspect.getsource(getattr(module, grade_id.removeprefix("given_"))))
            cell.source = cell.source.rstrip("\n")
    if not helped:
        raise ValueError(f"{lesson}: no read-only `helpers` cell for the examples")
    missing = (set(points) - answered) | (set(points) - tested)
    if missing:
        raise ValueError(f"{lesson}: no answer or test cell for {', '.join(sorted(missing))}")
    return sorted(answered)


def fill_sources(root=ROOT, lessons=None):
    """Fill every source notebook; return the paths that changed."""
    changed = []
    for lesson in lessons or LESSON_MODULES:
        path = source_path(lesson, root)
        before = path.read_text()
        nb = nbformat.reads(before, as_version=4)
        fill(nb, lesson)
        after = nbformat.writes(nb) + "\n"
        if after != before:
            path.write_text(after)
            changed.append(path)
    return changed


def generate_release(root=ROOT, lessons=None):
    """Run nbgrader's generate_assignment for each lesson in the course at `root`."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    # nbgrader upgrades its gradebook by running `alembic`, which lives beside this Python.
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = "backprop-from-scratch"
    config.Exchange.root = str(Path(root) / ".exchange")  # unused here, but must not point at /srv
    api = NbGraderAPI(config=config)
    for lesson in lessons or LESSON_MODULES:
        result = api.generate_assignment(lesson, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_assignment {lesson} failed:\n{result['log']}")


def main(args):
    changed = fill_sources(lessons=args.lessons or None)
    for path in changed:
        print(f"updated {path.relative_to(ROOT)}")
    if not args.no_release:
        generate_release(lessons=args.lessons or None)
        print("regenerated release/")
        samples.build(lessons=args.lessons or None)
        print("rebuilt samples/")
    return 0


def add_arguments(parser):
    parser.add_argument("lessons", nargs="*", help="lessons to build (default: all)")
    parser.add_argument("--no-release", action="store_true", help="only fill source notebooks")
