"""Cells that only demonstrate: skipped while grading when the learner left them as released.

Most of a submission's grading time goes to the notebook's own worked examples (lesson 6 trains the
network several times to draw its plots), which no check needs. A lesson author tags such a cell `demo`
(cell metadata `tags`): it defines nothing a later cell uses. While grading, a code cell whose source is
exactly a released `demo` cell's is left out; if the submission then fails anywhere with a NameError,
the grader runs it again with every cell (grade.py), so a wrong tag costs time, never points.

`used_later` is the authors' check, run by tests/test_demo_cells.py on every tag. It sees names; it cannot
see a cell that changes data through a method call (`X.sort()`), so such a cell must not be tagged.
"""

import ast
import functools
import json

from . import ROOT

TAG = "demo"


@functools.cache
def released(lesson, root=ROOT):
    """The sources of the release notebook's `demo` cells, as learners received them."""
    path = root / "release" / lesson / f"{lesson}.ipynb"
    try:
        notebook = json.loads(path.read_text())
    except (OSError, ValueError):
        return frozenset()
    return frozenset(
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in notebook.get("cells", [])
        if cell.get("cell_type") == "code" and TAG in cell.get("metadata", {}).get("tags", [])
    )


def without_demos(cells, lesson):
    """The cells to run: each released demo cell replaced by an empty one (cell numbers stay the same)."""
    skip = released(lesson)
    return ["" if cell in skip else cell for cell in cells]


def names_bound(source):
    """Top-level names a cell binds or changes in place (x = ..., def x, import x, x[i] = ..., x.a = ...)."""
    bound = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Subscript | ast.Attribute) and isinstance(node.ctx, ast.Store | ast.Del):
            root = node.value
            while isinstance(root, ast.Subscript | ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                bound.add(root.id)
    return bound


def free_names(source):
    """Names a cell reads before it binds them itself, statement by statement. A function body's reads
    count (they happen whenever it is called), except its own parameters and locals."""
    return _free(ast.parse(source).body, set())


def _free(statements, bound):
    """Names read by `statements` before they bind them; loop and `with` targets are bound first."""
    free = set()
    for statement in statements:
        if isinstance(statement, ast.For | ast.AsyncFor):
            free |= _reads(statement.iter, frozenset()) - bound
            free |= _free(statement.body + statement.orelse, bound | _targets(statement.target))
        elif isinstance(statement, ast.With):
            targets = [item.optional_vars for item in statement.items if item.optional_vars is not None]
            free |= set().union(*(_reads(item.context_expr, frozenset()) for item in statement.items)) - bound
            free |= _free(statement.body, bound.union(*map(_targets, targets)))
        else:
            free |= _reads(statement, frozenset()) - bound
        bound = bound | names_bound(ast.unparse(statement))
    return free


def _targets(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _loaded(name):
    return isinstance(name.ctx, ast.Load)


def _reads(node, local):
    """Names loaded under `node` that are not local to a function or comprehension inside it."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        args = node.args
        params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        body = node.body if isinstance(node.body, list) else [node.body]
        stores = {
            n.id
            for b in body
            for n in ast.walk(b)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        outer = [d for d in [*args.defaults, *args.kw_defaults, *getattr(node, "decorator_list", [])] if d]
        found = set().union(*(_reads(d, local) for d in outer)) if outer else set()
        return found.union(*(_reads(b, local | params | stores) for b in body))
    if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        targets = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        return set().union(*(_reads(child, local | targets) for child in ast.iter_child_nodes(node)))
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Load) and node.id not in local else set()
    return set().union(*(_reads(child, local) for child in ast.iter_child_nodes(node)))


def used_later(cells, index, demos=()):
    """Names that cell `index` binds and a later cell reads before something rebinds them, not counting
    later cells in `demos` (they are skipped with it): a `demo` cell must have none."""
    pending, used = set(names_bound(cells[index])), set()
    for later, cell in enumerate(cells[index + 1 :], index + 1):
        if later not in demos:
            used |= pending & free_names(cell)
        pending -= names_bound(cell)
    return used


def largest_demo_set(cells, eligible):
    """The most cells among `eligible` (indices) that can all be skipped together: none binds a name that
    a cell outside the set reads. For authors: a starting point for `demo` tags, to be read, not trusted."""
    demos = set(eligible)
    while True:
        keep = {i for i in demos if used_later(cells, i, demos)}
        if not keep:
            return demos
        demos -= keep
