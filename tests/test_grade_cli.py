"""`python -m autograder grade`, `check` and `gradescope`, end to end through the command line."""

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder import checks
from conftest import ROOT

SAMPLES = ROOT / "samples" / "submitted"
LESSON = "06-backprop"
FULL = sum(checks.points_by_function(LESSON).values())
BEN = 11.0  # ben updates w21 before computing dE/dh: the backward pass is right, the order is not


def autograder(*args, cwd=ROOT, env=None):
    return subprocess.run(
        [sys.executable, "-m", "autograder", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
    )


def grade(tmp_path, *paths, extra=()):
    out = tmp_path / "grades.json"
    done = autograder("grade", LESSON, *paths, "--json", out, *extra)
    assert done.returncode == 0, done.stderr
    return {r["learner"]: r for r in json.loads(out.read_text())}, done


def notebook_with(tmp_path, name, change):
    """ada's correct backprop notebook, changed by `change(nb)`, saved as <name>.ipynb."""
    nb = nbformat.read(SAMPLES / "ada" / LESSON / f"{LESSON}.ipynb", as_version=4)
    change(nb)
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_samples_json_csv_and_feedback(tmp_path):
    out_csv, pages = tmp_path / "grades.csv", tmp_path / "feedback"
    rows, done = grade(tmp_path, SAMPLES, extra=("--csv", out_csv, "--feedback", pages))
    assert {k: r["score"] for k, r in rows.items()} == {"ada": FULL, "ben": BEN, "cy": 0.0}
    for row in rows.values():
        assert set(row) == {"submission", "learner", "lesson", "score", "max_score", "tests", "error"}
        assert row["max_score"] == FULL and row["lesson"] == LESSON and row["error"] is None
        for test in row["tests"]:
            assert {"name", "score", "max_score", "status", "message"} <= set(test)
            assert test["status"] in ("passed", "failed")
    assert "ada" in done.stdout and f"{FULL:g}/{FULL:g}" in done.stdout  # the summary table
    with open(out_csv) as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == [
            "assignment",
            "duedate",
            "timestamp",
            "student_id",
            "last_name",
            "first_name",
            "email",
            "raw_score",
            "late_submission_penalty",
            "score",
            "max_score",
        ]
        assert {r["student_id"]: float(r["score"]) for r in reader} == {"ada": FULL, "ben": BEN, "cy": 0.0}
    ben = (pages / "ben.html").read_text()
    assert "Likely mistake: your w21 update happens before dE/dh is computed" in ben
    assert "data:image/png;base64," in ben  # the learner's fit against the data and the reference


def test_bad_files_score_zero_with_a_clear_error_and_the_batch_goes_on(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    good = SAMPLES / "ada" / LESSON / f"{LESSON}.ipynb"
    shutil.copy(good, flat / "good.ipynb")
    (flat / "empty.ipynb").write_text("")
    (flat / "notjson.ipynb").write_text("this is not a notebook")
    (flat / "truncated.ipynb").write_text(good.read_text()[:4000])
    (flat / "old.ipynb").write_text(json.dumps({"nbformat": 3, "worksheets": []}))
    (flat / "binary.ipynb").write_bytes(bytes(range(256)) * 10)
    (flat / "nested.ipynb").write_text("[" * 100_000 + "]" * 100_000)
    rows, _ = grade(tmp_path, flat)
    assert rows["good"]["score"] == FULL
    expected = {
        "empty": "is empty",
        "notjson": "not valid JSON",
        "truncated": "truncated",
        "old": "nbformat 3",
        "binary": "not UTF-8",
        "nested": "nested too deeply",
    }
    for learner, phrase in expected.items():
        assert rows[learner]["score"] == 0, learner
        assert phrase in rows[learner]["error"], (learner, rows[learner]["error"])


def test_grading_keys_on_function_names_not_cells(tmp_path):
    """Reordered cells, extra cells, a fresh notebook or a .py file with the same functions: same score."""

    def reorder(nb):
        nb.cells.reverse()  # definitions now come after the cells that use them: those cells fail, harmlessly
        nb.cells.append(nbformat.v4.new_code_cell("def helper():\n    return 1"))

    def fresh(nb):
        code = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        given = [
            c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "given_diffp"
        ]
        nb.cells = [nbformat.v4.new_code_cell("import numpy as np"), nbformat.v4.new_code_cell(given[0])]
        nb.cells += [nbformat.v4.new_code_cell(c) for c in code]

    reordered = notebook_with(tmp_path, "reordered", reorder)
    copied = notebook_with(tmp_path, "copied", fresh)
    source = "\n\n".join(c.source for c in nbformat.read(copied, as_version=4).cells)
    (tmp_path / "script.py").write_text(source)
    rows, _ = grade(tmp_path, reordered, copied, tmp_path / "script.py")
    assert {k: r["score"] for k, r in rows.items()} == {"reordered": FULL, "copied": FULL, "script": FULL}


def test_a_missing_function_costs_only_its_checks_and_is_named(tmp_path):
    def drop(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "train_numeric"]

    rows, _ = grade(tmp_path, notebook_with(tmp_path, "partial", drop))
    tests = rows["partial"]["tests"]
    lost = [t for t in tests if t["status"] == "failed"]
    assert lost and all("train_numeric" in t["name"] for t in lost)
    assert all("`train_numeric` is not defined" in t["message"] for t in lost)
    assert rows["partial"]["score"] == FULL - checks.points_by_function(LESSON)["train_numeric"]


def digest(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


HOSTILE = {
    "exits": "import os\nos._exit(0)",
    "kills_parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
    "kills_all": "import os, signal\nos.kill(-1, signal.SIGKILL)",
    "loops": "while True:\n    pass",
    "hogs_memory": "x = bytearray(4 * 1024**3)",
    "floods": "while True:\n    print('x' * 10000)",
    "forges": "import os\nfor fd in range(3, 30):\n    try:\n"
    "        os.write(fd, b'{\"score\": 100}' * 100)\n    except OSError:\n        pass",
    "writes_around": "import glob\nfor p in glob.glob('/**/*.ipynb', recursive=True):\n    try:\n"
    "        open(p, 'w').write('hacked')\n    except OSError:\n        pass",
    # Would score full marks if the reference were readable: it defines every function from it.
    "reads_solutions": "import glob\nfor name in ('partial_derivatives', 'backprop'):\n"
    "    for p in glob.glob(f'/**/solutions/{name}.py', recursive=True):\n"
    "        exec(open(p).read().replace('from solutions.partial_derivatives import diffp', ''))",
}


def test_hostile_submissions_gain_nothing_and_harm_nothing(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(2):
        shutil.copy(SAMPLES / "ada" / LESSON / f"{LESSON}.ipynb", batch / f"honest{i}.ipynb")
    for name, code in HOSTILE.items():
        (batch / f"{name}.py").write_text(code + "\n")
    before = digest(batch) | digest(ROOT / "solutions") | digest(ROOT / "source")
    rows, _ = grade(tmp_path, batch, extra=("--timeout", "5", "--jobs", "2"))
    assert (digest(batch) | digest(ROOT / "solutions") | digest(ROOT / "source")) == before
    assert rows["honest0"]["score"] == rows["honest1"]["score"] == FULL
    for name in HOSTILE:
        assert rows[name]["score"] == 0, (name, rows[name])


def test_check_gives_hints_without_expected_values(tmp_path):
    done = autograder("check", SAMPLES / "ben" / LESSON / f"{LESSON}.ipynb")
    assert done.returncode == 1
    assert "Likely mistake: your w21 update happens before dE/dh is computed" in done.stdout
    assert f"Score: {BEN:g}/{FULL:g}" in done.stdout
    from autograder.checks.test_backprop import START, data
    from solutions import backprop

    X, y = data()
    for weight in backprop.train_backprop(X, y, **START, learning_rate=0.05, epochs=1):
        assert f"{weight:.6g}"[:6] not in done.stdout  # no expected weight leaks
    assert autograder("check", SAMPLES / "ada" / LESSON / f"{LESSON}.ipynb").returncode == 0


def test_gradescope_zip_runs_on_a_simulated_autograder_tree(tmp_path):
    zip_path = tmp_path / "backprop.zip"
    assert autograder("gradescope", LESSON, "-o", zip_path).returncode == 0
    tree = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        assert {"setup.sh", "run_autograder", "autograder/gradescope.py", "solutions/backprop.py"} <= set(
            names
        )
        zf.extractall(tree / "source")
    (tree / "submission").mkdir()
    shutil.copy(SAMPLES / "ben" / LESSON / f"{LESSON}.ipynb", tree / "submission")
    os.chmod(tree / "source" / "run_autograder", 0o755)
    env = {**os.environ, "BACKPROP_GRADESCOPE_ROOT": str(tree), "BACKPROP_GRADESCOPE_PYTHON": sys.executable}
    done = subprocess.run([str(tree / "source" / "run_autograder")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    results = json.loads((tree / "results" / "results.json").read_text())
    assert sum(t["score"] for t in results["tests"]) == BEN
    assert sum(t["max_score"] for t in results["tests"]) == FULL
    for test in results["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed") and test["visibility"] == "visible"
    assert any("Likely mistake" in t["output"] for t in results["tests"])


@pytest.mark.parametrize("lesson", ["01-functions", "05-gradient-descent"])
def test_check_finds_the_lesson_from_the_file_name(lesson):
    done = autograder("check", SAMPLES / "ada" / lesson / f"{lesson}.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr


# --- instructor paths: missing paths, notes a learner can place, closed pipes, plots ------------------------


def test_a_missing_path_is_an_error_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    real = SAMPLES / "ada" / LESSON / f"{LESSON}.ipynb"
    for paths in ([tmp_path / "submitted"], [real, tmp_path / "submitted"]):
        done = autograder(
            "grade",
            LESSON,
            *paths,
            "--csv",
            out / "grades.csv",
            "--json",
            out / "grades.json",
            "--feedback",
            out / "feedback",
        )
        assert done.returncode == 2, (done.stdout, done.stderr)
        assert f"{tmp_path / 'submitted'} does not exist" in done.stderr
        assert list(out.iterdir()) == []  # no CSV, no JSON, no feedback page for a learner called "submitted"
    done = autograder("check", tmp_path / "nowhere" / f"{LESSON}.ipynb")
    assert done.returncode == 2 and "does not exist" in done.stderr


def stub_notebook(tmp_path):
    """A 06-backprop notebook with one untouched stub, two cells that call it and one failing example."""
    cells = [
        "import numpy as np",
        "def neuron(w1, w2, x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        "got = neuron(2.0, 1.0, 3.0)\nprint(got)",
        "# the same stub again\nneuron(0.5, 0.5, 1.0)",
        "x = 1\nassert x == 2, 'x should be 2'",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / f"{LESSON}.ipynb")
    return folder / f"{LESSON}.ipynb"


def test_check_notes_name_the_cell_say_it_once_and_say_what_to_do(tmp_path):
    done = autograder("check", stub_notebook(tmp_path))
    notes = [line for line in done.stdout.splitlines() if line.startswith("Note:")]
    assert notes == [
        "Note: `neuron` still raises NotImplementedError (a `raise NotImplementedError()` stub in it or in a "
        "function it calls), so 2 cells that use it stopped early. Replace the stub with your code, then run "
        "the notebook again.",
        "Note: The cell that starts `x = 1` stopped with AssertionError: x should be 2 (line 2). "
        "Run it to see the full error, fix it, then run it again.",
    ]
    assert "cell 3" not in done.stdout and ":  (" not in done.stdout
    pages = tmp_path / "feedback"
    assert autograder("grade", LESSON, stub_notebook(tmp_path).parent, "--feedback", pages).returncode == 0
    page = (pages / "mine.html").read_text()
    assert notes[0].removeprefix("Note: ") in page and "cell 3:" not in page


def test_notes_place_each_error_without_cell_numbers():
    from autograder.notes import cell_label, cell_notes

    cells = [
        "import numpy as np",
        "def f(x):\n    y = x + 1\n    return undefined_name",
        "total = 0\nfor i in range(3):\n    total += f(i)\nprint(total)",
        "print('hi'\n",
        "while True:\n    pass",
    ]
    notes = cell_notes(
        [
            "cell 3: NameError: name 'undefined_name' is not defined (line 3)",
            "cell 3: NameError: name 'undefined_name' is not defined (line 3)",
            "cell 4: SyntaxError: '(' was never closed (<cell 4>, line 1)",
            "cell 5: the code did not finish within 5 s",
        ],
        cells,
        tests=[],
    )
    assert notes == [  # the repeated report is said once; line 3 could be in either cell: not said
        "The cell that starts `total = 0` stopped with NameError: name 'undefined_name' is not defined. "
        "Run it to see the full error, fix it, then run it again.",
        "The cell that starts `print('hi'` stopped with SyntaxError: '(' was never closed (line 1). "
        "Run it to see the full error, fix it, then run it again.",
        "The cell that starts `while True:` stopped: the code did not finish within 5 s.",
    ]
    # A line past the end of the calling cell can only be in the function it called.
    assert (
        "(line 3 of the cell that defines `f`)"
        in cell_notes(["cell 4: NameError: oops (line 3)"], [*cells[:3], "f(1)"], tests=[])[0]
    )
    # The notebooks' examples helper words its failures for learners: they are shown as they are, and
    # those caused only by a function that still raises NotImplementedError fold into one note.
    calm = cell_notes(
        [
            "cell 2: ExampleFailed: `f` is not written yet: replace `raise NotImplementedError()` with your "
            "code. (line 40)",
            "cell 3: ExampleFailed: This cell uses `f`, which has not passed its examples yet. (line 9)",
            "cell 4: ExampleFailed: g(2) should be within 1e-06 of 4.0, but it returned 5.0. (line 12)",
            "cell 5: ExampleFailed: This cell uses `g`, which has not passed its examples yet. (line 9)",
            "cell 6: ExampleFailed: This cell uses `g`, which has not passed its examples yet. (line 9)",
        ],
        [
            "def f():\n    raise NotImplementedError()",
            "with examples('f') as ex:\n    f()",
            "needs('f')",
            "g(2)",
            "needs('g')\ng(3)",
            "def h():\n    return g(4)\n\n\nneeds('g')",
        ],
        tests=[
            {"function": "f", "status": "failed", "message": "f() raised NotImplementedError: replace ..."}
        ],
    )
    assert calm == [
        "`f` still raises NotImplementedError (a `raise NotImplementedError()` stub in it or in a function "
        "it calls), so 2 cells that use it stopped early. Replace the stub with your code, then run the "
        "notebook again.",
        "The cell that starts `g(2)` stopped: g(2) should be within 1e-06 of 4.0, but it returned 5.0.",
        "2 cells stopped early because `g` has not passed its examples yet (the cell that starts "
        "`needs('g')`; the cell that defines `h`): run them again once they pass.",
    ]
    long_line = "x = np.zeros(3)  " + "y" * 80
    assert cell_label(f"# a comment\n\n{long_line}") == f"the cell that starts `{long_line[:47]}...`"
    assert cell_label("def a():\n    pass\ndef b():\n    pass") == "the cell that defines `a` and `b`"
    graded = 'def _sq(x):\n    return x * x\n\nwith examples("diff") as ex:\n    ex.close(1, 1)\n'
    assert cell_label(graded) == "the examples of `diff`"  # not its private helper `_sq`


def test_check_into_a_closed_pipe_exits_quietly(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already stopped reading
    try:
        done = subprocess.run(
            [sys.executable, "-m", "autograder", "check", str(stub_notebook(tmp_path))],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 1


def test_feedback_plot_keeps_the_reference_visible_and_styles_fixed():
    from matplotlib import pyplot as plt

    from autograder import feedback

    X = [i / 10 for i in range(11)]
    data = {"X": X, "y": [4 + 3 * x for x in X]}
    matching = {"learner": [3.0, 4.0], "reference": [3.0, 4.0]}
    missing = {"learner": None, "reference": [3.0, 4.0]}
    styles = []
    for lines in (
        {"train_numeric": matching, "train_backprop": matching},
        {"train_numeric": missing, "train_backprop": matching},
    ):
        fig = feedback.plot_figure({**data, "lines": lines})
        drawn = {line.get_label(): line for line in fig.axes[0].get_lines()}
        plt.close(fig)
        for function in lines:
            ref = drawn[f"reference {function}"]
            mine = next(v for k, v in drawn.items() if k.startswith(f"your {function}"))
            assert ref.get_linestyle() == "--" and mine.get_linestyle() == "-"
            assert ref.get_zorder() > mine.get_zorder()  # the reference is drawn over a matching line
            assert ref.get_linewidth() < mine.get_linewidth()  # and the learner's shows around it
            styles.append((function, ref.get_color(), mine.get_color()))
    assert len(set(styles)) == 2  # each function keeps its colours on every page


def test_grades_json_is_ignored_like_grades_csv():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/grades.csv" in ignored and "/grades.json" in ignored


def test_readme_says_how_to_start_jupyterlab_as_root():
    readme = (ROOT / "README.md").read_text()
    assert "jupyter lab release/" in readme and "--allow-root" in readme
