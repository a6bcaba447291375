"""The sandboxed worker: API, isolation, limits and speed (`autograder.sandbox`).

Tests marked `sandbox` need a working bubblewrap and are skipped without one; the fallback tests run
everywhere. tests/test_hostile_worker.py holds the adversarial submissions.
"""

import os
import sys
import time
import uuid
import warnings
from pathlib import Path

import numpy as np
import pytest

from autograder.sandbox import Limits, Outcome, SessionDead, Worker, sandbox_available
from autograder.sandbox import launch as sandbox_module
from autograder.worker.plain import TestFn

REPO = Path(__file__).resolve().parent.parent
needs_sandbox = pytest.mark.skipif(
    not sandbox_available(), reason="bubblewrap is missing or does not work here"
)


@pytest.fixture(scope="module")
def worker():
    with Worker(Limits(timeout=20)) as w:
        yield w


def run(worker, cells, name, *args, **kwargs):
    """Open a submission, make one call, close it; return (outcome, session)."""
    with worker.open(cells if isinstance(cells, list) else [cells]) as session:
        outcome = session.call(name, *args, **kwargs)
    return outcome, session


def host_processes_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def test_a_sandbox_that_would_expose_the_repository_is_never_used():
    """The probe refuses a sandbox that can see the repository; that must fail here, not skip every test."""
    assert "can see the repository" not in sandbox_module.why_unavailable()
    if sandbox_available():
        assert sandbox_module.sandbox_mode() in ("user", "staged", "root")


# --- the API ------------------------------------------------------------------------------------------------


@needs_sandbox
def test_cells_run_in_one_namespace_and_errors_do_not_stop_them(worker):
    cells = [
        "import numpy as np\nSCALE = 2.0\nprint('hello from the learner')",
        "def double(x):\n    return SCALE * x\n",
        "raise ValueError('boom')",
        "import sys\nsys.exit(3)",
        "exit()",
        "def add_one(a):\n    a += 1\n    return a.sum()\n",
        "def apply(fn, x, *, times=1):\n    for _ in range(times):\n        x = fn(x)\n    return x\n",
        "def pair():\n    return (1.5, np.arange(3.0))\n",
        "def who():\n    return __name__\n",
    ]
    session = worker.open(cells)
    assert session.dead is None
    assert {"double", "add_one", "apply", "pair"} <= session.defined
    assert session.cell_errors == [
        "cell 3: ValueError: boom (line 1)",
        "cell 4: SystemExit: 3 (line 2)",
        "cell 5: SystemExit: None (line 1)",
    ]
    assert session.call("double", 2.5) == Outcome(5.0, None, [])
    data = np.zeros(3)
    added = session.call("add_one", data)
    assert (added.value, added.error, added.mutated) == (3.0, None, [0])
    assert np.array_equal(data, np.zeros(3))  # the caller's copy never changes
    assert session.call("apply", TestFn("sq"), 3.0, times=2).value == 81.0
    first, second = session.call("pair").value
    assert first == 1.5 and type(second) is np.ndarray and second.dtype == np.float64
    assert np.array_equal(second, [0.0, 1.0, 2.0])
    assert session.call("who").error.startswith("returned a value of type str")
    assert session.call("missing").error == "NameError: name 'missing' is not defined"
    session.close()
    session.close()  # idempotent
    assert session.output == "hello from the learner\n"
    with pytest.raises(SessionDead):
        session.call("double", 1.0)


@needs_sandbox
def test_namespace_is_a_fresh_main_module(worker):
    cells = [
        "from dataclasses import dataclass\n@dataclass\nclass P:\n    x: float\n",
        "import sys\n"
        "def check():\n"
        "    return [__name__ == '__main__', sys.modules['__main__'].P is P, P(2).x]\n",
    ]
    assert run(worker, cells, "check")[0].value == [True, True, 2.0]
    # the next submission does not see the previous one's names
    assert run(worker, "def f():\n    return int('P' in globals())", "f")[0].value == 0


@needs_sandbox
def test_matplotlib_is_warm_and_show_is_harmless(worker):
    cells = [
        "import matplotlib.pyplot as plt\nplt.plot([1, 2], [3, 4])\nplt.title('t')\nplt.show()\n"
        "plt.savefig('plot.png')\ndisplay('shown')\n",
        "import os\ndef size():\n    return os.path.getsize('plot.png') > 1000\n",
    ]
    outcome, session = run(worker, cells, "size")
    assert session.cell_errors == [] and outcome.value is True
    assert session.output == ""


@needs_sandbox
def test_output_is_captured_and_capped():
    with Worker(Limits(timeout=20, output_bytes=1000)) as w:
        cells = [
            "import os, sys\nprint('out')\nprint('err', file=sys.stderr)\nos.write(1, b'raw fd 1\\n')\n"
            "sys.stdout.buffer.write(b'bytes\\n')\n",
            "for i in range(100000):\n    print('flood', i)\n",
        ]
        session = w.open(cells)
        assert session.cell_errors == []
        session.close()
        assert session.output.startswith("out\nerr\nraw fd 1\nbytes\nflood 0\n")
        assert session.output.endswith("[... output truncated]")
        assert len(session.output) <= 1000 + 30


@needs_sandbox
def test_scratch_is_private_and_fresh_per_submission(worker):
    write = (
        "import os\nopen('mine.txt', 'w').write('secret answer')\nopen('/tmp/also.txt', 'w').write('x')\n"
        "os.makedirs('/tmp/d/e')\n"
    )
    session = worker.open([write, "import os\ndef where():\n    return os.getcwd() == '/tmp/work'"])
    assert session.cell_errors == [] and session.call("where").value is True
    session.close()
    look = "import os\ndef look():\n    return [len(os.listdir('.')), int(os.path.exists('/tmp/also.txt'))]"
    assert run(worker, look, "look")[0].value == [0, 0]


# --- isolation ----------------------------------------------------------------------------------------------

PROBE_FILES = [
    str(REPO),
    str(REPO / "solutions"),
    str(REPO / "solutions" / "__init__.py"),
    str(REPO / "autograder" / "checks"),
    str(REPO / "autograder" / "checks" / "__init__.py"),
    str(REPO / "source"),
    "/work",
    "/etc/passwd",
    "/usr/bin",
    "/root/.bashrc",
    "/home",
    "/opt/grader/site-packages/solutions/__init__.py",
]


@needs_sandbox
def test_repository_solutions_and_checks_are_invisible(worker):
    cells = [
        "import os\n"
        "def visible(paths):\n"  # strings cannot be call arguments: the paths are in the cell
        "    seen = []\n"
        "    for p in paths:\n"
        "        try:\n"
        "            os.stat(p)\n"
        "            seen.append(p)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return seen\n"
        "def importable():\n"
        "    found = []\n"
        "    for name in ('solutions', 'solutions.numeric_diff', 'autograder', 'autograder.checks'):\n"
        "        try:\n"
        "            __import__(name)\n"
        "            found.append(name)\n"
        "        except ImportError:\n"
        "            pass\n"
        "    return found\n"
        "def via_editable_finder():\n"
        "    import glob, importlib, sys\n"
        "    for path in glob.glob('/opt/grader/site-packages*/__editable__*finder.py'):\n"
        "        sys.path.insert(0, os.path.dirname(path))\n"
        "        mod = importlib.import_module(os.path.basename(path)[:-3])\n"
        "        mod.install()\n"
        "    try:\n"
        "        import solutions\n"
        "        return 1\n"
        "    except ImportError:\n"
        "        return 0\n"
    ]
    probe = cells[0] + (
        f"def hidden():\n    return len(visible({PROBE_FILES!r}))\n"
        "def shown():\n    return len(visible(['/opt/grader/worker/plain.py', '/tmp']))\n"
    )
    with worker.open([probe]) as session:
        assert session.call("hidden").value == 0
        assert session.call("shown").value == 2  # the probe itself works
        assert session.call("importable").value == []
        assert session.call("via_editable_finder").value == 0


@needs_sandbox
def test_root_is_read_only_and_only_tmp_is_writable(worker):
    targets = [
        "/x",
        "/work/main/x",
        "/opt/grader/worker/evil.py",
        "/opt/grader/site-packages/numpy/evil.py",
        f"{os.path.realpath(sys.base_prefix)}/lib/evil.py",
        "/usr/lib/evil.so",
        "/dev/shm/x",
        "/root/x",
        "/proc/sys/kernel/hostname",
    ]
    cells = [
        "import os\n"
        "def writable(paths):\n"
        "    n = 0\n"
        "    for p in paths:\n"
        "        try:\n"
        "            os.makedirs(os.path.dirname(p), exist_ok=True)\n"
        "            with open(p, 'w') as f:\n"
        "                f.write('pwned')\n"
        "            n += 1\n"
        "        except OSError:\n"
        "            pass\n"
        "    return n\n"
    ]
    cells.append(f"def outside():\n    return writable({targets!r})\n")
    cells.append("def inside():\n    return writable(['/tmp/fine.txt', './here.txt'])\n")
    with worker.open(cells) as session:
        assert session.cell_errors == []
        assert session.call("outside").value == 0
        assert session.call("inside").value == 2
    assert not (REPO / "autograder" / "worker" / "evil.py").exists()
    assert not Path("/work/main/x").exists()


@needs_sandbox
def test_no_network(worker):
    cells = [
        "import socket\n"
        "def reach(host, port):\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=2).close()\n"
        "        return 1\n"
        "    except OSError:\n"
        "        return 0\n"
        "def resolve():\n"
        "    try:\n"
        "        socket.getaddrinfo('pypi.org', 443)\n"
        "        return 1\n"
        "    except OSError:\n"
        "        return 0\n"
        "def interfaces():\n"
        "    return len(socket.if_nameindex())\n"
    ]
    code = (
        cells[0].replace("def reach(host, port):", "def reach(port):").replace("(host, port)", "(HOST, port)")
    )
    for host in ("1.1.1.1", "8.8.8.8", "127.0.0.1"):
        with worker.open([f"HOST = {host!r}\n" + code]) as session:
            assert session.call("reach", 53).value == 0
            assert session.call("reach", 443).value == 0
            assert session.call("resolve").value == 0
            assert session.call("interfaces").value == 1  # loopback only


@needs_sandbox
def test_environment_is_minimal_and_unprivileged(worker):
    cells = [
        "import os\n"
        "def env_keys():\n"
        "    return sorted(os.environ)\n"
        "def caps():\n"
        "    lines = open('/proc/self/status').read().splitlines()\n"
        "    fields = dict(line.split(':\\t') for line in lines if ':\\t' in line)\n"
        "    return [int(fields['CapEff'], 16), int(fields['CapBnd'], 16), int(fields['NoNewPrivs'])]\n"
        "def keys_ok():\n"
        "    return int(set(os.environ) <= ALLOWED)\n"
        "def new_userns():\n"
        "    import ctypes\n"
        "    return ctypes.CDLL(None, use_errno=True).unshare(0x10000000)\n"
        "def pid():\n"
        "    return [os.getpid() > 1, os.getppid()]\n",
    ]
    allowed = set(sandbox_module.SANDBOX_ENV) | {"PWD"}
    with worker.open([f"ALLOWED = {allowed!r}\n" + cells[0]]) as session:
        assert session.call("keys_ok").value == 1
        assert session.call("caps").value == [0, 0, 1]
        assert session.call("new_userns").value == -1  # --disable-userns
        assert session.call("pid").value == [True, 1]  # the zygote is PID 1 of the sandbox


@needs_sandbox
def test_bwrap_command_line_mounts_only_what_is_needed():
    argv = sandbox_module.bwrap_argv(["true"])
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--as-pid-1", "--clearenv"):
        assert flag in argv
    assert argv[argv.index("--cap-drop") + 1] == "ALL"
    assert "--bind" not in argv and "--dev-bind" not in argv  # nothing of the host is writable
    sources = [argv[i + 1] for i, a in enumerate(argv) if a == "--ro-bind"]
    allowed = {"/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32"}
    allowed |= {
        os.path.realpath(sys.base_prefix),
        str(sandbox_module.WORKER_DIR),
        *sandbox_module.site_dirs(),
    }
    assert set(sources) <= allowed
    for source in sources:
        assert not (REPO.as_posix() + "/").startswith(source.rstrip("/") + "/"), source  # not the repo
    covers = {argv[i + 1] for i, a in enumerate(argv) if a == "--ro-bind-try"}
    assert {"/proc/sys", "/proc/sysrq-trigger"} <= covers
    assert argv[len(argv) - 1 - argv[::-1].index("--remount-ro") + 1] == "/"
    if sandbox_module.sandbox_mode() == "staged":  # as root: staged sources, and bwrap runs as nobody
        staged = sandbox_module.sandboxed_command(5, 1 << 20, "/stage")
        assert staged[staged.index("-c") + 1] == sandbox_module.STAGE
        assert '"uid": 65534' in staged[staged.index("-c") + 2]
        assert "/stage/python" in staged and "/stage/worker" in staged
        assert str(sandbox_module.WORKER_DIR) not in staged


@needs_sandbox
def test_sandboxed_code_is_not_host_root(worker):
    cell = (
        "import os\n"
        "def probe():\n"
        "    opened = 0\n"
        "    for p in ('/proc/sys/kernel/core_pattern', '/proc/sys/vm/drop_caches',\n"
        "              '/proc/sys/kernel/hostname', '/proc/sysrq-trigger', '/proc/sys/kernel/pid_max'):\n"
        "        try:\n"
        "            os.close(os.open(p, os.O_WRONLY))  # opened for writing, never written\n"
        "            opened += 1\n"
        "        except OSError:\n"
        "            pass\n"
        "    return opened\n"
        "def uid():\n"
        "    return os.getuid()\n"
    )
    with worker.open([cell]) as session:
        assert session.call("probe").value == 0
        if os.geteuid() == 0 and sandbox_module.sandbox_mode() == "staged":
            assert session.call("uid").value == 65534


# --- speed ------------------------------------------------------------------------------------------------


# --- the worker dies with the grader; leftovers die with the worker -----------------------------------------


@needs_sandbox
def test_worker_close_leaves_no_process_behind():
    marker = f"grader-test-{uuid.uuid4().hex}"
    cell = (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {marker!r}])\n"
        "def ready():\n    return 1\n"
    )
    w = Worker(Limits(timeout=20))
    session = w.open([cell])
    assert session.call("ready").value == 1
    tree = host_descendants(w._proc.pid) | {w._proc.pid}
    assert len(tree) >= 4  # bwrap, the zygote, the submission, its subprocess
    assert host_processes_with(marker)
    w.close()
    assert not host_processes_with(marker)
    assert not [pid for pid in tree if os.path.exists(f"/proc/{pid}")]


def host_descendants(root):
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as f:
                ppid = int(next(line.split()[1] for line in f if line.startswith("PPid:")))
        except (OSError, StopIteration, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


# --- without bubblewrap -------------------------------------------------------------------------------------


def test_fallback_warns_and_still_isolates_processes():
    marker = f"grader-test-{uuid.uuid4().hex}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sandbox_module._warned.discard("unsandboxed")
        w = Worker(Limits(timeout=3), sandbox=False)
    assert any(issubclass(c.category, sandbox_module.UnsandboxedWarning) for c in caught)
    assert not w.sandboxed
    try:
        cells = [  # as nobody, only modules the zygote imported are usable here: fork and exec a shell
            "import os\n"
            "if os.fork() == 0:\n"
            f"    os.execv('/bin/sh', ['sh', '-c', 'sleep 60; :', {marker!r}])\n"
            "def f(x):\n    return x + 1\n"
            "def uid():\n    return [os.getuid(), os.getgid()]\n"
            "def kill_parent():\n    os.kill(os.getppid(), 9)\n    import time\n    time.sleep(3)\n"
            "def spin():\n    while True:\n        pass\n"
        ]
        session = w.open(cells)
        assert session.call("f", 1).value == 2
        if os.geteuid() == 0:  # the grader is root: learner code is not
            assert session.call("uid").value == [65534, 65534]
        deadline = time.monotonic() + 10  # the forked child may not have exec'd the shell yet
        while not host_processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert host_processes_with(marker)
        session.close()
        assert not host_processes_with(marker)  # killed with the submission
        with w.open(cells) as session:
            started = time.monotonic()
            with pytest.raises(SessionDead) as dead:
                session.call("spin")
            assert dead.value.reason == "timeout" and time.monotonic() - started < 12
        starts = w.starts
        with w.open(cells) as session:
            if os.geteuid() == 0:  # as nobody it cannot signal the root zygote at all
                assert session.call("kill_parent").error.startswith("PermissionError")
            else:
                with pytest.raises(SessionDead) as dead:
                    session.call("kill_parent")  # its process dies with the zygote (PR_SET_PDEATHSIG)
                assert dead.value.reason in ("crashed", "exited")
        with w.open(["def g():\n    return 7\n"]) as session:
            assert session.call("g").value == 7
        assert w.starts == starts + (os.geteuid() != 0)  # a fresh zygote replaced a killed one
    finally:
        w.close()
    assert not host_processes_with(marker)
