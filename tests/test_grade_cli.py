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
    assert {k: r["score"] for k, r in rows.items()} == {"ada": FULL, "ben": 7.0, "cy": 0.0}
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
        assert {r["student_id"]: float(r["score"]) for r in reader} == {"ada": FULL, "ben": 7.0, "cy": 0.0}
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
        nb.cells = [
            nbformat.v4.new_code_cell("import numpy as np"),
            nbformat.v4.new_code_cell(nb.cells[4].source),
        ]  # the given diffp cell
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
    assert "Score: 7/11" in done.stdout
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
    assert sum(t["score"] for t in results["tests"]) == 7.0
    assert sum(t["max_score"] for t in results["tests"]) == FULL
    for test in results["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed") and test["visibility"] == "visible"
    assert any("Likely mistake" in t["output"] for t in results["tests"])


@pytest.mark.parametrize("lesson", ["01-functions", "05-gradient-descent"])
def test_check_finds_the_lesson_from_the_file_name(lesson):
    done = autograder("check", SAMPLES / "ada" / lesson / f"{lesson}.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
