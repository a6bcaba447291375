"""Find and read a submission: a notebook, a .py file, or a folder holding one. Pure logic on files.

Everything here treats the file as untrusted data: it is size-capped, parsed as JSON only, and any problem
becomes a BadSubmission with a message a learner can act on.
"""

import errno
import json
import os
import re
import stat
from pathlib import Path

MAX_BYTES = 5_000_000
MAGIC = re.compile(r"^(\s*)[%!].*$")


class BadSubmission(Exception):
    """The submission cannot be graded at all; the message says why."""


def no_link(path):
    """`path`, after making sure it is not a symbolic link (lstat: the link itself, not its target).

    Links arrive through git, tar and some unzip tools, and the grader reads submissions as its own user:
    a link to solutions/ or to a peer's folder would be graded as the learner's work.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    if stat.S_ISLNK(mode):
        raise BadSubmission(f"{Path(path).name} is a symbolic link; submit the file itself")
    return path


def find(path, lesson):
    """The file to grade for `lesson` at `path` (a notebook, a .py file, or a folder holding one).
    No link is followed anywhere from `path` down to the file."""
    path = no_link(Path(path))
    if path.is_file():
        return path
    if not path.is_dir():
        raise BadSubmission(f"{path} does not exist")
    for folder in (no_link(path / lesson), path):
        preferred = no_link(folder / f"{lesson}.ipynb")
        if preferred.is_file():
            return preferred
        found = sorted(no_link(p) for p in folder.glob("*") if p.suffix in (".ipynb", ".py") and p.is_file())
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise BadSubmission(f"{folder} holds several candidates ({names}); name one {lesson}.ipynb")
    raise BadSubmission(f"no notebook or .py file for {lesson} in {path}")


def learner_id(path, lesson):
    """nbgrader's submitted/<learner>/<lesson>/file → <learner>; otherwise the file or folder name."""
    path = Path(path)
    if path.is_dir():
        return path.parent.name if path.name == lesson else path.name
    if path.parent.name == lesson and path.stem == lesson:
        return path.parent.parent.name
    return path.stem


def read_cells(path):
    """The code to run, as a list of cell sources, from a .ipynb or .py file (never through a link)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BadSubmission(f"{path.name} is a symbolic link; submit the file itself") from None
        raise
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BadSubmission(f"{path.name} is not a regular file")
        if info.st_size == 0:
            raise BadSubmission(f"{path.name} is empty")
        if info.st_size > MAX_BYTES:
            raise BadSubmission(f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB")
        data = f.read(MAX_BYTES + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadSubmission(f"{path.name} is not UTF-8 text") from None
    if path.suffix == ".py":
        return [text]
    return notebook_cells(text, path.name)


def notebook_cells(text, name="notebook"):
    """Code cell sources of a notebook given as JSON text, with IPython magics neutralised."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno}"
        raise BadSubmission(f"{name} is not valid JSON ({where}); was it truncated?") from None
    except RecursionError:
        raise BadSubmission(f"{name} is nested too deeply to be a notebook") from None
    if not isinstance(nb, dict) or "nbformat" not in nb:
        raise BadSubmission(f"{name} is not a Jupyter notebook (no nbformat version)")
    if nb["nbformat"] != 4:
        raise BadSubmission(f"{name} uses nbformat {nb['nbformat']!r}; only nbformat 4 is supported")
    if not isinstance(nb.get("cells"), list):
        raise BadSubmission(f"{name} is not a Jupyter notebook (no list of cells)")
    cells = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise BadSubmission(f"{name} has a code cell whose source is not text")
        cells.append(strip_magics(source))
    return cells


def strip_hidden_tests(source):
    """A test cell as learners have it: without nbgrader's ### BEGIN/END HIDDEN TESTS regions."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if line.strip() == "### BEGIN HIDDEN TESTS":
            hidden = True
        elif line.strip() == "### END HIDDEN TESTS":
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def strip_magics(source):
    """Replace IPython-only lines (%magic, !shell) with `pass`; drop cells that start with a %%cell magic."""
    if source.lstrip().startswith("%%"):
        return ""
    return "\n".join(MAGIC.sub(r"\1pass", line) for line in source.split("\n"))
