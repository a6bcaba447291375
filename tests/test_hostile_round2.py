"""Sandbox round 2 (issue 11): no submission can change the zygote, and so none can harm the next one.

Each test failed before its fix: learner code could prlimit, renice, re-pin or re-schedule the zygote
(PID 1 of the sandbox, same uid), and the next learner on that worker got 0 with "`neuron` is not defined".
"""

import os
import signal
import warnings
from pathlib import Path

import pytest

from autograder.sandbox import Limits, SessionDead, Worker, sandbox_available
from autograder.worker import seccomp

pytestmark = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is missing or broken here")

ATTACKS = {
    "prlimit nproc": "resource.prlimit(1, resource.RLIMIT_NPROC, (1, 1))",
    "prlimit nofile": "resource.prlimit(1, resource.RLIMIT_NOFILE, (3, 3))",
    "renice": "os.setpriority(os.PRIO_PROCESS, 1, 19)",
    "renice group": "os.setpriority(os.PRIO_PGRP, 0, 19)",
    "renice user": "os.setpriority(os.PRIO_USER, 0, 19)",
    "pin": "os.sched_setaffinity(1, {0})",
    "idle policy": "os.sched_setscheduler(1, os.SCHED_IDLE, os.sched_param(0))",
}
VICTIM = ["def neuron(w1, w2, x):\n    return w1 * x + w2\n"]
PROBE_ZYGOTE = (
    "import os\n"
    "def zygote():\n"
    "    nice, cpus = os.getpriority(os.PRIO_PROCESS, 1), sorted(os.sched_getaffinity(1))\n"
    "    return [nice, cpus, os.sched_getscheduler(1)]\n"
)


@pytest.fixture(scope="module")
def worker():
    with Worker(Limits(timeout=10)) as w:
        yield w


def attack(code):
    return (
        "import os, resource\n"
        "def attack():\n"
        "    try:\n"
        f"        {code}\n"
        "        return 1.0\n"
        "    except PermissionError:\n"
        "        return 0.0\n"
    )


@pytest.mark.parametrize("code", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_submission_cannot_change_the_zygote(worker, code):
    with worker.open([attack(code)]) as session:
        assert session.call("attack").value == 0.0  # refused with EPERM
    with worker.open([*VICTIM, PROBE_ZYGOTE]) as session:
        assert session.dead is None and session.cell_errors == []
        assert session.call("neuron", 2.0, 1.0, 3.0).value == 7.0
        assert session.call("zygote").value == [0, sorted(os.sched_getaffinity(0)), os.SCHED_OTHER]


def test_a_submission_still_manages_its_own_limits_and_children(worker):
    cell = (
        "import os, resource\n"
        "def own():\n"
        "    resource.prlimit(0, resource.RLIMIT_CORE, (0, 0))\n"
        "    os.setpriority(os.PRIO_PROCESS, 0, 5)\n"
        "    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        resource.prlimit(0, resource.RLIMIT_CORE, (0, 0))\n"
        "        os._exit(0)\n"
        "    return float(os.waitpid(pid, 0)[1] == 0)\n"
    )
    with worker.open([cell]) as session:
        outcome = session.call("own")
        assert outcome.error is None and outcome.value == 1.0


def _zygote_pid(worker):
    """The host pid of the worker's zygote (the python process running worker.main)."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cmdline = open(f"/proc/{name}/cmdline", "rb").read().split(b"\0")
            stat = open(f"/proc/{name}/stat").read()
        except OSError:
            continue
        if any(b"from worker.main import main" in part for part in cmdline):
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if _descends_from(parent, worker._proc.pid):
                return int(name)
    return None


def _descends_from(pid, ancestor):
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return False
    return False


@pytest.mark.skipif(os.geteuid() != 0, reason="changing the zygote from the host needs root")
def test_a_zygote_whose_scheduling_changed_is_replaced_and_the_submission_retried():
    """Were the filter bypassed, the zygote notices before forking, exits, and the grader retries the
    submission once on a fresh zygote instead of grading it as a dead session."""
    with Worker(Limits(timeout=10)) as worker:
        with worker.open(VICTIM) as session:
            assert session.dead is None
        pid = _zygote_pid(worker)
        assert pid is not None
        os.setpriority(os.PRIO_PROCESS, pid, 19)
        with worker.open(VICTIM) as session:
            assert session.dead is None and session.cell_errors == []
            assert session.call("neuron", 2.0, 1.0, 3.0).value == 7.0
        assert worker.restarts == 1 and worker.starts == 2


def test_a_zygote_killed_between_two_submissions_is_replaced_before_the_next():
    with Worker(Limits(timeout=10)) as worker:
        with worker.open(VICTIM):
            pass
        os.killpg(worker._proc.pid, signal.SIGKILL)  # the whole sandbox, between two submissions
        worker._proc.wait()
        with worker.open(VICTIM) as session:
            assert session.dead is None and session.call("neuron", 1.0, 1.0, 1.0).value == 2.0


def test_the_filter_program_refuses_x32_and_foreign_architecture_calls():
    program = seccomp.program("x86_64", 7)
    assert program[:3] == [(0x20, 0, 0, 4), (0x15, 1, 0, 0xC000003E), (0x06, 0, 0, seccomp.RET_EPERM)]
    assert (seccomp.JGE_K, 0, 1, seccomp.X32_BIT) in program
    assert program[-1] == (0x06, 0, 0, seccomp.RET_ALLOW)


# --- Gradescope: the shipped zip keeps its sandbox, and refuses to grade without one -----------------------


def simulated_tree(tmp_path, lesson="06-backprop"):
    """An /autograder tree from the real zip, with setup.sh's permissions applied to it."""
    import shutil
    import subprocess
    import sys
    import zipfile

    from autograder.gradescope import SETUP_SH, build_zip

    root = Path(__file__).resolve().parent.parent
    tree = tmp_path / "autograder"
    with zipfile.ZipFile(build_zip(lesson, tmp_path / "g.zip")) as zf:
        zf.extractall(tree / "source")
    for line in SETUP_SH.splitlines():
        if line.startswith("chmod"):
            subprocess.run(line.replace(" /autograder/", f" {tree}/"), shell=True, check=True)
    (tree / "submission").mkdir()
    sample = root / "samples" / "submitted" / "ada" / lesson / f"{lesson}.ipynb"
    shutil.copy(sample, tree / "submission")
    os.chmod(tree / "source" / "run_autograder", 0o755)
    env = {**os.environ, "BACKPROP_GRADESCOPE_ROOT": str(tree), "BACKPROP_GRADESCOPE_PYTHON": sys.executable}
    return tree, env


def run_autograder(tree, env):
    import json
    import subprocess

    done = subprocess.run([str(tree / "source" / "run_autograder")], env=env, capture_output=True, text=True)
    results = json.loads((tree / "results" / "results.json").read_text())
    return done, results


@pytest.mark.skipif(os.geteuid() != 0, reason="setup.sh's permissions matter when the grader is root")
def test_the_shipped_gradescope_zip_keeps_a_full_sandbox(tmp_path):
    tree, env = simulated_tree(tmp_path)
    done, results = run_autograder(tree, env)
    assert done.returncode == 0, done.stderr
    for weak in ("WeakSandboxWarning", "UnsandboxedWarning", "UNSANDBOXED", "runs as root"):
        assert weak not in done.stderr, done.stderr
    assert sum(t["score"] for t in results["tests"]) == sum(t["max_score"] for t in results["tests"]) > 0
    assert not os.stat(tree / "source" / "solutions").st_mode & 0o077  # the reference stays private
    assert (tree / "source" / "release" / "06-backprop" / "06-backprop.ipynb").exists()  # demo cells named


def test_gradescope_refuses_to_grade_without_a_sandbox(tmp_path):
    tree, env = simulated_tree(tmp_path)
    bin_dir = tmp_path / "bin"  # a PATH with bash but no bwrap
    bin_dir.mkdir()
    os.symlink("/bin/bash", bin_dir / "bash")
    done, results = run_autograder(tree, {**env, "PATH": str(bin_dir)})
    assert done.returncode == 0, done.stderr
    assert all(t["score"] == 0 and t["status"] == "failed" for t in results["tests"])
    assert "Not graded: the autograder could not start its sandbox" in results["output"]
    assert "bwrap is not installed" in results["output"]


# --- the scratch space: inodes are capped, and cleanup never follows a learner's links ----------------------


def test_empty_files_cannot_pin_memory_past_the_watchdog(worker):
    cell = (
        "import os\n"
        "def flood():\n"
        "    os.makedirs('/tmp/many', exist_ok=True)\n"
        "    for i in range(200000):\n"
        "        open(f'/tmp/many/{i}', 'w').close()\n"
        "    return 1.0\n"
    )
    with worker.open([cell]) as session:
        with pytest.raises(SessionDead) as dead:
            session.call("flood")
        assert dead.value.reason == "memory" and "files in /tmp" in str(dead.value)
    with worker.open(
        [*VICTIM, "import os\ndef left():\n    return float(len(os.listdir('/tmp')))\n"]
    ) as session:
        assert session.call("left").value <= 2.0  # the zygote's own work/ and mpl/ at most


@pytest.mark.skipif(os.geteuid() != 0, reason="the link attack needs a root zygote (fallback as root)")
def test_cleanup_never_follows_a_learners_link(tmp_path):
    target = tmp_path / "root-owned"
    target.mkdir()
    os.chmod(target, 0o755)
    cell = f"import os\nos.symlink({str(target)!r}, 'link')\nos.mkdir('d')\nos.chmod('d', 0)\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Worker(Limits(timeout=10), sandbox=False) as fallback:
            with fallback.open([cell]) as session:
                assert session.cell_errors == []
    assert os.stat(target).st_mode & 0o777 == 0o755


# --- what a learner names or prints can neither borrow a grade nor break the batch's outputs -------------

ROOT = Path(__file__).resolve().parent.parent
LESSON1 = "01-functions"


def reference_code(lesson=LESSON1):
    import importlib
    import inspect
    import textwrap

    from solutions import LESSON_MODULES

    module = importlib.import_module(f"solutions.{LESSON_MODULES[lesson]}")
    return "\n\n".join(textwrap.dedent(inspect.getsource(f)) for f in vars(module).values() if callable(f))


def grade_cli(*args, env=None):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "autograder", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        env=env,
    )


def test_links_anywhere_along_a_submission_are_refused_and_cost_only_their_row(tmp_path):
    submitted = tmp_path / "submitted"
    alice = submitted / "alice" / LESSON1
    alice.mkdir(parents=True)
    (alice / f"{LESSON1}.py").write_text(reference_code())
    cases = {
        "mallory": ROOT / "solutions" / "functions.py",  # the file is a link to the reference
        "trudy": ROOT / "source" / LESSON1 / f"{LESSON1}.ipynb",  # a link to the source notebook
    }
    for learner, target in cases.items():
        (submitted / learner / LESSON1).mkdir(parents=True)
        os.symlink(target, submitted / learner / LESSON1 / f"{LESSON1}{target.suffix}")
    (submitted / "eve").mkdir()
    os.symlink(alice, submitted / "eve" / LESSON1)  # the lesson folder is a link to a peer's
    out = tmp_path / "grades.json"
    done = grade_cli("grade", LESSON1, submitted, "--json", out)
    assert done.returncode == 0, done.stderr
    rows = {r["learner"]: r for r in __import__("json").loads(out.read_text())}
    assert rows["alice"]["score"] == rows["alice"]["max_score"] > 0
    for learner in ("mallory", "trudy", "eve"):
        assert rows[learner]["score"] == 0 and "symbolic link" in rows[learner]["error"], rows[learner]


def test_learner_text_cannot_break_outputs_or_repaint_the_table(tmp_path):
    import csv
    import json

    flat = tmp_path / "flat"
    flat.mkdir()
    good = reference_code()
    names = {
        "john~smith": good,
        "john_smith": good,
        "x" * 240: good,
        "=HYPERLINK(1)": good,
        "bob\x1b[2K\rbob 6 of 6": good,
        "surrogate": good + "\nraise ValueError(chr(0xD800) + '\\x1b]52;c;AAAA\\x07')\n",
    }
    for stem, code in names.items():
        (flat / f"{stem}.py").write_text(code, encoding="utf-8", errors="surrogatepass")
    os.rename(flat / "surrogate.py", os.path.join(os.fsencode(flat), b"bad\xffname.py"))
    out = tmp_path / "out"
    out.mkdir()
    done = grade_cli(
        "grade",
        LESSON1,
        flat,
        "--csv",
        out / "grades.csv",
        "--json",
        out / "grades.json",
        "--feedback",
        out / "feedback",
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout
    rows = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    assert len(rows) == len(names)
    with open(out / "grades.csv", encoding="utf-8") as f:
        ids = [r["student_id"] for r in csv.DictReader(f)]
    assert len(ids) == len(names) and "'=HYPERLINK(1)" in ids
    assert not any(i.startswith(("=", "+", "-", "@")) for i in ids)
    pages = list((out / "feedback").iterdir())
    assert len(pages) == len(names)  # none overwrote another, none was too long to write
    assert all(len(p.name) < 120 for p in pages)
    assert all("\x1b" not in r["learner"] for r in rows)
