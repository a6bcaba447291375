"""`nbgrader autograde` with the project's config runs learner code in the sandbox (issue 13, part 1).

End to end through nbgrader's own command line, in a scratch course: generate_assignment, autograde,
export. Hostile notebooks gain nothing, exactly as through `python -m autograder grade`; the reference
gets full marks and the untouched release 0. Without a sandbox, autograde refuses and grades nothing.

Measured once with a stock config (nbgrader's Execute, learner code in the kernel beside the hidden
tests), three of these notebooks gained points there: the patched comparisons 1, the borrowed reference 2
and the source read from disk 2 (of 6). The liar already scored 0 in the kernel (the checks take only
plain data there too).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import nbgrader_course as course
from autograder.sandbox import sandbox_available

pytestmark = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is missing or broken here")

ROOT = Path(__file__).resolve().parent.parent
LESSON = "01-functions"
STEAL = (  # the course folder is three levels up from the notebook's folder under autograded/
    "import json\n"
    "source = json.load(open('../../../source/01-functions/01-functions.ipynb'))\n"
    "for cell in source['cells']:\n"
    "    if cell['metadata'].get('nbgrader', {}).get('solution'):\n"
    "        exec(''.join(cell['source']))\n"
    "data = open('../../../gradebook.db', 'rb').read()\n"
)
ATTACKS = {
    # objects that compare equal to anything
    "liar": "class Yes(float):\n    def __eq__(self, other):\n        return True\n"
    "    __hash__ = float.__hash__\nclass All(list):\n    def __eq__(self, other):\n        return True\n"
    "def sq(x):\n    return Yes(7)\ndef add(a, b):\n    return Yes(7)\ndef total(*a):\n    return Yes(7)\n"
    "def apply_transformation(f, arr):\n    return All([Yes(7)])\n",
    # the checks' own comparisons, patched where they run in nbgrader's kernel
    "patched comparisons": "import autograder.checks.test_functions as checks, numpy as np\n"
    "checks.expect_equal = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
    "def sq(x):\n    return 0\ndef add(a, b):\n    return 0\ndef total(*a):\n    return 0\n"
    "def apply_transformation(f, arr):\n    return [0 for a in arr]\n",
    # the reference, imported, or read from the course's folders with the gradebook
    "borrow the reference": "from solutions.functions import *\n",
    "read source/ and gradebook.db": STEAL,
    # the grader's entry point, replaced in sys.modules
    "patch imports": "import sys, types\nfake = types.ModuleType('autograder.nbgrader_cell')\n"
    "fake.grade_function = lambda *a, **k: 99.0\nsys.modules['autograder.nbgrader_cell'] = fake\n",
    # ending the process early after a forged success line
    "exit early": "print('All examples passed.')\nimport os\nos._exit(0)\n",
}


def notebook(kind):
    """A submission built from the release notebook: the reference, the untouched release, or an attack
    written into the last answer cell (the other answers left as stubs)."""
    nb = nbformat.read(ROOT / "release" / LESSON / f"{LESSON}.ipynb", as_version=4)
    if kind == "cy":
        return nb
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    if kind == "ada":
        return nbformat.read(
            ROOT / "samples" / "submitted" / "ada" / LESSON / f"{LESSON}.ipynb", as_version=4
        )
    answers[-1].source = ATTACKS[kind]  # the last answer cell: it runs after, and replaces, the stubs
    for cell in nb.cells:  # forged outputs: every graded test cell claims full marks
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "99.0"})]
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    where = course.make_course(tmp_path_factory.mktemp("nbgrader") / "course", [LESSON])
    course.generate(where, LESSON)
    learners = {"ada": "ada", "cy": "cy", **{f"h{i}": kind for i, kind in enumerate(ATTACKS)}}
    for learner, kind in learners.items():
        path = where / "submitted" / learner / LESSON / f"{LESSON}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook(kind), path)
    course.autograde(where, LESSON, check=False)
    scores = {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in course.export(where)}
    return where, {learners[k]: v for k, v in scores.items()}


def test_reference_full_untouched_zero(graded):
    _, scores = graded
    assert scores["ada"][0] == scores["ada"][1] > 0
    assert scores["cy"][0] == 0


@pytest.mark.parametrize("kind", ATTACKS)
def test_a_hostile_notebook_gains_nothing(graded, kind):
    _, scores = graded
    assert scores[kind][0] == 0, f"{kind} scored {scores[kind]}"


def test_graded_cells_carry_the_report_and_points_where_nbgrader_reads_them(graded):
    where, _ = graded
    nb = json.loads((where / "autograded" / "ada" / LESSON / f"{LESSON}.ipynb").read_text())
    tests = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert tests
    for cell in tests:
        kinds = [o["output_type"] for o in cell["outputs"]]
        assert kinds == ["stream", "execute_result"], kinds
        assert "[PASS]" in "".join(cell["outputs"][0]["text"])
        assert " of " in "".join(cell["outputs"][1]["data"]["text/html"])


def test_autograde_stops_without_a_sandbox(tmp_path):
    where = course.make_course(tmp_path / "course", [LESSON])
    course.generate(where, LESSON)
    target = where / "submitted" / "ada" / LESSON / f"{LESSON}.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(notebook("ada"), target)
    no_bwrap = tmp_path / "bin"
    no_bwrap.mkdir()
    env = {**os.environ, "PATH": str(no_bwrap)}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", LESSON, "--force"],
        cwd=where,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2 and "no working sandbox" in done.stderr
    assert not (where / "autograded").exists()
