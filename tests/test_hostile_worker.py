"""Hostile submissions against the sandboxed worker.

Each case must gain nothing, harm nothing, and leave the Worker able to grade the next submission
normally: every test ends with `assert_healthy`, which also checks that no process or file of an earlier
submission is left in the sandbox. All of it needs bubblewrap (the fallback is covered in test_sandbox.py).
"""

import dataclasses
import math
import os
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from autograder.sandbox import Limits, Outcome, SessionDead, Worker, sandbox_available

pytestmark = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is missing or broken here")

REPO = Path(__file__).resolve().parent.parent
HEALTHY = ["import numpy as np\ndef mean(x):\n    return float(np.mean(x))\n"]
LEFTOVERS = [
    "import os\n"
    "def others():\n"
    "    mine = (1, os.getpid())\n"
    "    return sorted(int(p) for p in os.listdir('/proc') if p.isdigit() and int(p) not in mine)\n"
    "def stray_files():\n"
    "    return len(set(os.listdir('/tmp')) - {'work', 'mpl'}) + len(os.listdir('.'))\n"
    "def sysv():\n"
    "    return sum(len(open(f'/proc/sysvipc/{k}').read().splitlines()) - 1 for k in ('shm', 'sem', 'msg'))\n"
]


@pytest.fixture(scope="module")
def worker():
    with Worker(Limits(timeout=10)) as w:
        yield w


@contextmanager
def limited(worker, **changes):
    """Other limits for the submissions opened inside the block (limits are read at open())."""
    old = worker.limits
    worker.limits = dataclasses.replace(old, **changes)
    try:
        yield
    finally:
        worker.limits = old


def assert_healthy(worker):
    """The next submission is graded normally and finds nothing left by earlier ones."""
    with worker.open(HEALTHY) as session:
        assert session.dead is None and session.cell_errors == []
        assert session.call("mean", np.arange(4.0)) == Outcome(1.5, None, [])
    with worker.open(LEFTOVERS) as session:
        assert session.call("others").value == []
        assert session.call("stray_files").value == 0
        assert session.call("sysv").value == 0


def cells_of(source):
    return [source] if isinstance(source, str) else source


# --- exits --------------------------------------------------------------------------------------------------


def test_sys_exit_and_os_exit_in_cells(worker):
    with worker.open(["import sys\nsys.exit(0)", "def f():\n    return 1\n"]) as session:
        assert session.cell_errors == ["cell 1: SystemExit: 0 (line 2)"]
        assert session.call("f").value == 1
    with worker.open(["def f():\n    return 1\n", "import os\nos._exit(0)", "def g():\n    return 2\n"]) as s:
        assert s.dead is not None and s.dead.reason == "exited"
        assert s.defined == set()
        assert s.cell_errors and s.cell_errors[0].startswith("cell 2: the process exited")
        with pytest.raises(SessionDead) as dead:
            s.call("f")
        assert dead.value.reason == "exited"
    assert_healthy(worker)


def test_sys_exit_and_os_exit_in_functions(worker):
    cells = [
        "import os, sys\n"
        "def leave():\n    sys.exit(5)\n"
        "def interrupt():\n    raise KeyboardInterrupt('stop')\n"
        "def vanish():\n    os._exit(1)\n"
        "def fine():\n    return 2.0\n"
    ]
    with worker.open(cells) as session:
        assert session.call("leave") == Outcome(None, "SystemExit: 5", [])
        assert session.call("interrupt").error == "KeyboardInterrupt: stop"
        assert session.call("fine").value == 2.0
        with pytest.raises(SessionDead) as dead:
            session.call("vanish")
        assert dead.value.reason == "exited" and "status 1" in str(dead.value)
        with pytest.raises(SessionDead):
            session.call("fine")
    assert_healthy(worker)


def test_crashing_signals_end_only_that_submission(worker):
    cells = [
        "import os, signal\n"
        "def segv():\n    os.kill(os.getpid(), signal.SIGSEGV)\n"
        "def abort():\n    os.abort()\n"
    ]
    for name, signame in (("segv", "SIGSEGV"), ("abort", "SIGABRT")):
        with worker.open(cells) as session, pytest.raises(SessionDead) as dead:
            session.call(name)
        assert dead.value.reason == "crashed" and signame in str(dead.value)
    assert_healthy(worker)


# --- attacks on the zygote ----------------------------------------------------------------------------------


def test_the_zygote_cannot_be_killed_or_stopped(worker):
    assert_healthy(worker)  # the zygote is up
    starts = worker.starts
    cells = [
        "import os, signal\n"
        "for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
        "    os.kill(os.getppid(), sig)\n"
        "    os.kill(1, sig)\n",
        "import os\n"
        "def kill_all():\n    os.kill(-1, 9)\n    return 1\n"
        "def ppid():\n    return os.getppid()\n",
    ]
    with worker.open(cells) as session:
        assert session.cell_errors == []
        outcome = session.call("kill_all")  # kills everything it may, except PID 1 and itself: nothing
        assert outcome.value == 1 or outcome.error.startswith("ProcessLookupError")
        assert session.call("ppid").value == 1
    assert_healthy(worker)
    assert worker.starts == starts  # the same zygote, still serving


def test_killing_its_own_process_group(worker):
    with worker.open(["import os\ndef group():\n    os.killpg(0, 9)\n"]) as session:
        with pytest.raises(SessionDead) as dead:
            session.call("group")
        assert dead.value.reason == "crashed"
    assert_healthy(worker)


def test_a_dead_zygote_is_noticed_and_replaced():
    """If the zygote dies anyway (say, by the OOM killer), the session fails and the next starts anew."""
    with Worker(Limits(timeout=20)) as w:
        session = w.open(["import time\ndef nap():\n    time.sleep(10)\n"])
        bwrap = w._proc.pid
        threading.Timer(0.5, os.killpg, (bwrap, 9)).start()
        started = time.monotonic()
        with pytest.raises(SessionDead) as dead:
            session.call("nap")
        assert dead.value.reason == "crashed" and time.monotonic() - started < 10
        session.close()
        assert_healthy(w)
        assert w.starts == 2


def test_the_zygote_is_out_of_reach_through_proc(worker):
    cells = [
        "import ctypes, os\n"
        "def reachable():\n"
        "    n = 0\n"
        "    for path in ('/proc/1/mem', '/proc/1/environ', '/proc/1/maps', '/proc/1/fd/0', '/proc/1/fd/3',\n"
        "                 '/proc/1/fd/4', '/proc/1/fd/5', '/proc/1/cwd/x'):\n"
        "        try:\n"
        "            open(path, 'rb').close()\n"
        "            n += 1\n"
        "        except OSError:\n"
        "            pass\n"
        "    for path in ('/proc/1/cwd', '/proc/1/root', '/proc/1/fd/3'):\n"
        "        try:\n"
        "            os.readlink(path)\n"
        "            n += 1\n"
        "        except OSError:\n"
        "            pass\n"
        "    return n\n"
        "def ptrace():\n"
        "    return ctypes.CDLL(None, use_errno=True).ptrace(16, 1, 0, 0)  # PTRACE_ATTACH to the zygote\n"
    ]
    with worker.open(cells) as session:
        assert session.call("reachable").value == 0
        assert session.call("ptrace").value == -1
    assert_healthy(worker)


# --- time -------------------------------------------------------------------------------------------------


def test_a_session_nobody_closes_still_ends_at_its_deadline(worker):
    """The zygote enforces the deadline on its own, without the grader calling or closing anything."""
    marker = f"grader-test-{uuid.uuid4().hex}"
    sleeper = "import time; time.sleep(60)"
    cell = f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', {sleeper!r}, {marker!r}])\n"
    with limited(worker, timeout=3.0):
        started = time.monotonic()
        session = worker.open([cell])
        assert session.dead is None
        while not _running(marker) and time.monotonic() - started < 2.5:
            time.sleep(0.02)  # until the subprocess has exec'd
        assert _running(marker)
        while _running(marker) and time.monotonic() - started < 12:
            time.sleep(0.05)
        assert not _running(marker)  # killed at the 3 s deadline, long before its own 60 s
        with pytest.raises(SessionDead) as dead:
            session.call("anything")
        assert dead.value.reason == "timeout"
        session.close()
    assert_healthy(worker)


def test_endless_cell_times_out(worker):
    with limited(worker, timeout=2.0):
        started = time.monotonic()
        session = worker.open(["def ok():\n    return 1\n", "while True:\n    pass\n"])
        elapsed = time.monotonic() - started
        assert session.dead is not None and session.dead.reason == "timeout"
        assert 1.9 < elapsed < 10  # cut at the deadline, not after the 100 s the code asked for
        assert session.cell_errors and session.cell_errors[0].startswith("cell 2: the code did not finish")
        with pytest.raises(SessionDead) as dead:
            session.call("ok")
        assert dead.value.reason == "timeout"
        session.close()
    assert_healthy(worker)


@pytest.mark.parametrize("body", ["while True:\n        pass", "time.sleep(100)", "threading.Event().wait()"])
def test_endless_call_times_out_and_earlier_results_stand(worker, body):
    cells = [f"import threading, time\ndef ok():\n    return 1.0\ndef stuck():\n    {body}\n"]
    with limited(worker, timeout=2.0):
        started = time.monotonic()
        with worker.open(cells) as session:
            first = session.call("ok")
            with pytest.raises(SessionDead) as dead:
                session.call("stuck")
            elapsed = time.monotonic() - started
            assert dead.value.reason == "timeout" and 1.9 < elapsed < 10
            with pytest.raises(SessionDead) as again:
                session.call("ok")
            assert again.value.reason == "timeout"
        assert first == Outcome(1.0, None, [])
    assert_healthy(worker)


# --- memory -----------------------------------------------------------------------------------------------


def test_memory_hogs(worker):
    cells = [
        "import numpy as np\n"
        "def big_array():\n    return float(np.ones(4 * 2**30 // 8).sum())\n"
        "def big_list():\n    return len([0] * 10**9)\n"
        "def fine():\n    return 1\n",
        "x = bytearray(4 << 30)\n",
        "y = 2\n",
    ]
    with limited(worker, memory_mb=512):
        with worker.open(cells) as session:
            assert len(session.cell_errors) == 1 and session.cell_errors[0].startswith("cell 2: MemoryError")
            assert session.call("big_array").error.startswith("MemoryError")
            assert session.call("big_list").error.startswith("MemoryError")
            assert session.call("fine").value == 1  # the session survives its own MemoryErrors
    assert_healthy(worker)


def test_memory_spread_over_processes_is_caught(worker):
    cells = [
        "import os, time\n"
        "import numpy as np\n"
        "def spread():\n"
        "    for _ in range(4):\n"
        "        if os.fork() == 0:\n"
        "            block = np.ones(300 * 2**20 // 8)\n"
        "            time.sleep(30)\n"
        "            os._exit(0)\n"
        "    time.sleep(30)\n"
    ]
    with limited(worker, memory_mb=512, timeout=8.0):
        with worker.open(cells) as session:
            started = time.monotonic()
            with pytest.raises(SessionDead) as dead:
                session.call("spread")
            assert dead.value.reason == "memory" and time.monotonic() - started < 15
    assert_healthy(worker)


# --- output -----------------------------------------------------------------------------------------------


def test_output_floods_are_capped(worker):
    cells = [
        "import os\nfor i in range(200000):\n    print('line', i)\n",
        "for _ in range(2000):\n    os.write(1, b'x' * 65536)\n",  # 130 MB at the fd level
        "def loud():\n    for i in range(10**8):\n        print(i)\n",
        "def fine():\n    return 1\n",
    ]
    with limited(worker, output_bytes=2000):
        session = worker.open(cells)
        assert session.cell_errors == []
        assert session.call("fine").value == 1
        session.close()
        assert session.output.startswith("line 0\nline 1\n")
        assert session.output.endswith("[... output truncated]") and len(session.output) < 2100
    with limited(worker, output_bytes=2000, timeout=2.0):
        started = time.monotonic()
        with worker.open(cells[2:]) as session:
            with pytest.raises(SessionDead) as dead:
                session.call("loud")  # 1e8 prints take longer than 2 s, output or not: no hang, a timeout
        assert dead.value.reason == "timeout" and time.monotonic() - started < 10
        assert session.output.startswith("0\n1\n2\n") and len(session.output) < 2100
    assert_healthy(worker)


# --- leftovers ----------------------------------------------------------------------------------------------


def test_processes_left_running_die_with_the_submission(worker):
    marker = f"grader-test-{uuid.uuid4().hex}"
    cells = [
        "import os, subprocess, sys, threading, time\n"
        # a classic daemon: double fork, new session, outlives its parent
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(1.0)\n"
        "        for path in ('/tmp/planted', '/tmp/work/planted.py'):\n"
        "            try:\n"
        "                open(path, 'w').write('import os; os._exit(3)')\n"
        "            except OSError:\n"
        "                pass\n"
        "        os.kill(-1, 9)  # would kill the next submission's process\n"
        "        os._exit(0)\n"
        "    os._exit(0)\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {marker!r}])\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "def ready():\n    return 1\n"
    ]
    with worker.open(cells) as session:
        assert session.cell_errors == [] and session.call("ready").value == 1
        assert any(marker.encode() in _cmdline(pid) for pid in _host_pids())
    assert not any(marker.encode() in _cmdline(pid) for pid in _host_pids())
    nap = (
        LEFTOVERS[0]
        + "import time\ndef later():\n    time.sleep(1.5)\n    return [len(others()), stray_files()]\n"
    )
    with worker.open([nap]) as session:
        assert session.call("later").value == [0, 0]  # and this process was not killed by the daemon
    assert_healthy(worker)


def _host_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _running(marker):
    return any(marker.encode() in _cmdline(pid) for pid in _host_pids())


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def test_fork_bomb_is_contained(worker):
    cells = [
        "import os, time\n"
        "def bomb():\n"
        "    root = os.getpid()\n"
        "    for _ in range(12):  # 4096 processes if nothing stopped it\n"
        "        try:\n"
        "            os.fork()\n"
        "        except OSError:\n"
        "            pass\n"
        "    if os.getpid() != root:\n"
        "        time.sleep(60)\n"
        "        os._exit(0)\n"
        "    time.sleep(2)\n"
        "    return sum(1 for p in os.listdir('/proc') if p.isdigit())\n"
    ]
    before = len(_host_pids())
    with limited(worker, max_processes=16, timeout=8.0):
        with worker.open(cells) as session:
            try:
                outcome = session.call("bomb")
            except SessionDead as dead:  # the watchdog, where RLIMIT_NPROC does not apply
                assert dead.reason == "crashed" and "too many processes" in str(dead)
            else:  # RLIMIT_NPROC: forks failed beyond the limit (the zygote is one of the processes)
                assert outcome.value is not None and outcome.value <= 17
    assert len(_host_pids()) < before + 10
    assert_healthy(worker)


def test_hostile_files_are_wiped(worker):
    cells = [
        "import ctypes, os\n"
        "os.makedirs('a/b/c')\n"
        "open('a/b/c/f', 'w').write('x')\n"
        "os.chmod('a/b/c', 0)\n"
        "os.chmod('a', 0)\n"
        "os.symlink('/', 'root_link')\n"
        "os.symlink('/opt/grader/worker', '/tmp/worker_link')\n"
        "path = 'deep'\n"
        "for _ in range(200):\n"
        "    path += '/d'\n"
        "os.makedirs(path)\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "shm = libc.shmget(0, 1 << 20, 0o1000 | 0o600)\n"
        "sem = libc.semget(0, 1, 0o1000 | 0o600)\n"
        "msg = libc.msgget(0, 0o1000 | 0o600)\n"
        "def ids():\n    return [int(shm >= 0), int(sem >= 0), int(msg >= 0)]\n",
        "with open('/tmp/big', 'wb') as f:\n    f.write(b'x' * (200 << 20))\n",
    ]
    assert_healthy(worker)
    starts = worker.starts
    with worker.open(cells) as session:
        assert session.call("ids").value == [1, 1, 1]
        assert len(session.cell_errors) == 1 and "OSError" in session.cell_errors[0]  # disk full / too big
    assert (REPO / "autograder" / "worker" / "main.py").exists()  # links were not followed when wiping
    assert_healthy(worker)
    assert worker.starts == starts  # wiped in place: no fresh zygote (tmpfs) was needed


def test_an_unclosed_session_is_ended_by_the_next_open(worker):
    first = worker.open(
        ["import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"]
    )
    assert first.dead is None
    assert_healthy(worker)  # opens a new session without closing the first
    with pytest.raises(SessionDead):
        first.call("anything")


# --- secrets ------------------------------------------------------------------------------------------------


# names only this project uses (site-packages legitimately holds nbgrader's own test gradebook.db etc.)
PROJECT_NAMES = {
    "solutions",
    "numeric_diff.py",
    "partial_derivatives.py",
    "chain_rule.py",
    "gradient_descent.py",
    "test_numeric_diff.py",
    "test_backprop.py",
}


def test_no_solution_on_disk(worker):
    targets = [
        REPO / "solutions" / "numeric_diff.py",
        REPO / "autograder" / "checks" / "test_numeric_diff.py",
        REPO / "autograder" / "checks" / "__init__.py",
        REPO / "source",
        REPO / "gradebook.db",
        "/proc/1/root" + str(REPO / "solutions" / "__init__.py"),
        "/proc/self/root" + str(REPO / "solutions" / "__init__.py"),
    ]
    cells = [
        "import os\n"
        "def readable():\n"
        "    n = 0\n"
        f"    for path in {[str(t) for t in targets]!r}:\n"
        "        try:\n"
        "            os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read()\n"
        "            n += 1\n"
        "        except OSError:\n"
        "            pass\n"
        "    return n\n"
        "def found_anywhere():\n"
        f"    wanted = {PROJECT_NAMES!r}\n"
        "    hits = 0\n"
        "    for root, dirs, files in os.walk('/'):\n"
        "        if root == '/':\n"
        "            dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'dev')]\n"
        "        hits += len(wanted & (set(dirs) | set(files)))\n"
        "    return hits\n"
    ]
    with worker.open(cells) as session:
        assert session.call("readable").value == 0
        assert session.call("found_anywhere").value == 0
    assert_healthy(worker)


def test_no_solution_in_memory(worker):
    cells = [
        "import gc, sys, types\n"
        "def hits():\n"
        "    bad = ('solution', 'autograder', 'checks')\n"
        "    modules = [m for m in sys.modules if any(b in m for b in bad)]\n"
        "    objects = [o for o in gc.get_objects() if isinstance(o, types.ModuleType)\n"
        "               and any(b in o.__name__ for b in bad)]\n"
        "    names, frame = [], sys._getframe()\n"
        "    while frame is not None:\n"
        "        seen = list(frame.f_globals) + list(frame.f_locals)\n"
        "        names += [n for n in seen if 'solution' in n.lower()]\n"
        "        frame = frame.f_back\n"
        "    try:\n"
        "        import solutions  # noqa\n"
        "        importable = 1\n"
        "    except ImportError:\n"
        "        importable = 0\n"
        "    return [len(modules), len(objects), len(names), importable]\n"
    ]
    with worker.open(cells) as session:
        assert session.call("hits").value == [0, 0, 0, 0]


def test_patching_numpy_in_the_sandbox_does_not_reach_the_grader(worker):
    cells = [
        "import builtins, math\nimport numpy as np\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda *a, **k: True\n"
        "math.isclose = lambda *a, **k: True\n"
        "builtins.abs = lambda x: 0\n"
        "def f():\n    return 1\n"
    ]
    with worker.open(cells) as session:
        assert session.call("f").value == 1
    assert not np.allclose(1.0, 2.0) and not math.isclose(1.0, 2.0) and abs(-3) == 3
    with worker.open(["import numpy as np\ndef g():\n    return bool(np.allclose(1.0, 2.0))\n"]) as session:
        assert session.call("g").value is False  # and the next submission starts from a clean fork


# --- the channel ------------------------------------------------------------------------------------------


GARBAGE = (
    "import os\n"
    "def spray():\n"
    "    for fd in range(21):\n"
    "        try:\n"
    "            os.write(fd, b'garbage' * 100)\n"
    "        except OSError:\n"
    "            pass\n"
    "    return 1.0\n"
)


def test_garbage_on_every_fd_during_the_cells(worker):
    session = worker.open([GARBAGE + "spray()\n", "def f():\n    return 1\n"])
    assert session.dead is not None and session.dead.reason == "protocol"
    with pytest.raises(SessionDead) as dead:
        session.call("f")
    assert dead.value.reason == "protocol"
    session.close()
    assert_healthy(worker)


def test_garbage_on_every_fd_during_a_call(worker):
    with worker.open([GARBAGE]) as session:
        with pytest.raises(SessionDead) as dead:
            session.call("spray")
        assert dead.value.reason == "protocol"
    assert_healthy(worker)


FORGE = (
    "import json, os, socket, stat\n"
    "def channel():\n"
    "    for fd in map(int, os.listdir('/proc/self/fd')):\n"
    "        try:\n"
    "            if stat.S_ISSOCK(os.fstat(fd).st_mode):\n"
    "                return fd\n"
    "        except OSError:\n"
    "            pass\n"
    "def send(payload):\n"
    "    os.write(channel(), len(payload).to_bytes(4, 'big') + payload)\n"
    "def forge(payload):\n"
    "    send(payload)\n"
    "    return 1.0\n"
)


def test_a_forged_reply_is_only_the_learners_own_plain_answer(worker):
    cells = [
        FORGE + 'def lie():\n    return forge(b\'{"id": 1, "value": 42.0, "error": null, "mutated": []}\')\n'
    ]
    with worker.open(cells) as session:
        outcome = session.call("lie")
        assert outcome == Outcome(42.0, None, []) and type(outcome.value) is float
        with pytest.raises(SessionDead) as dead:  # the real reply to call 1 now answers call 2
            session.call("lie")
        assert dead.value.reason == "protocol"
    assert_healthy(worker)


FORGED = {
    "bad array": b'{"id": 1, "value": {"__ndarray__": [1, 2], "shape": [5]}, "error": null, "mutated": []}',
    "object": b'{"id": 1, "value": {"__class__": "os.system", "args": ["id"]}, "error": null, "mutated": []}',
    "mutated out of range": b'{"id": 1, "value": 1.0, "error": null, "mutated": [7]}',
    "mutated not an array": b'{"id": 1, "value": 1.0, "error": null, "mutated": [0]}',
    "wrong id": b'{"id": 99, "value": 1.0, "error": null, "mutated": []}',
    "error not text": b'{"id": 1, "value": 1.0, "error": {"x": 1}, "mutated": []}',
    "extra key": b'{"id": 1, "value": 1.0, "error": null, "mutated": [], "pickle": "gASV"}',
    "too deep": b"[" * 100_000 + b"]" * 100_000,
    "huge int": b'{"id": 1, "value": ' + b"9" * 5000 + b', "error": null, "mutated": []}',
    "not json": b"\x80\x04\x95 pickle?",
    "ended message": b'{"op": "ended", "sid": 1, "reason": "closed", "detail": "", "output": ""}',
}


@pytest.mark.parametrize("payload", FORGED.values(), ids=FORGED.keys())
def test_malformed_forged_frames_end_only_that_session(worker, payload):
    with worker.open([FORGE + f"def lie(x):\n    return forge({payload!r})\n"]) as session:
        with pytest.raises(SessionDead) as dead:
            session.call("lie", 3.0)
        assert dead.value.reason == "protocol"
    assert_healthy(worker)


def test_an_oversized_frame_header_is_refused(worker):
    cell = FORGE + "def lie():\n    os.write(channel(), (2**31).to_bytes(4, 'big') + b'{}')\n    return 1.0\n"
    with worker.open([cell]) as session:
        with pytest.raises(SessionDead) as dead:
            session.call("lie")
        assert dead.value.reason == "protocol"
    assert_healthy(worker)


# --- lying values -------------------------------------------------------------------------------------------


def test_lying_return_values_come_back_plain_or_as_errors(worker):
    cells = [
        "import numpy as np\n"
        "class F(float):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    __hash__ = float.__hash__\n"
        "class L(list):\n"
        "    def __eq__(self, other):\n        return True\n"
        "class I(int):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    __hash__ = int.__hash__\n"
        "class A(np.ndarray):\n"
        "    def __eq__(self, other):\n        return True\n"
        "class Liar:\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __float__(self):\n        return 1.0\n"
        "    def __array__(self, dtype=None, copy=None):\n        return np.ones(3)\n"
        "loop = []\nloop.append(loop)\n"
        "def f():\n    return F(1.5)\n"
        "def l():\n    return L([1.0, F(2.0)])\n"
        "def i():\n    return I(3)\n"
        "def a():\n    return np.arange(3.0).view(A)\n"
        "def liar():\n    return Liar()\n"
        "def nested():\n    return loop\n"
        "def nan():\n    return [float('nan'), float('inf'), np.float64(2.5), np.int64(4), np.bool_(True)]\n"
        "def objects():\n    return np.array([Liar(), Liar()], dtype=object)\n"
    ]
    with worker.open(cells) as session:
        value = session.call("f").value
        assert type(value) is float and value == 1.5
        value = session.call("l").value
        assert type(value) is list and value == [1.0, 2.0] and all(type(v) is float for v in value)
        value = session.call("i").value
        assert type(value) is int and value == 3
        value = session.call("a").value
        assert type(value) is np.ndarray and np.array_equal(value, [0.0, 1.0, 2.0])
        assert value.tolist() == [0.0, 1.0, 2.0]
        assert session.call("liar").error == "returned a value of type Liar"
        assert session.call("nested").error == "returned nested too deeply"
        assert session.call("objects").error.startswith("returned an array of object")
        got = session.call("nan").value
        assert math.isnan(got[0]) and got[1] == math.inf and got[2:] == [2.5, 4, True]
        assert [type(v) for v in got] == [float, float, float, int, bool]


def test_a_huge_answer_is_refused_not_sent(worker):
    cells = ["def huge():\n    row = [1 / 3] * 10\n    return [row] * 100000\n"]  # about 19 MB of JSON
    with limited(worker, timeout=30.0), worker.open(cells) as session:
        assert session.call("huge").error == "returned a value that is too large to grade"
    assert_healthy(worker)
