"""How the worker is started: inside bubblewrap when it works here, else unsandboxed with a loud warning.

The sandbox (`bwrap_argv`) sees, read-only: the system library directories (/usr/lib, /usr/lib64 and the
/lib, /lib64 links), the Python installation (`sys.base_prefix`, with its own site-packages hidden), the
grader's site-packages at /opt/grader/site-packages* (any `solutions` or `autograder` package installed
there is hidden), and `autograder/worker` at /opt/grader/worker. Nothing else of the host: not the
repository, not /work, not /root, not /etc, not /usr/bin. It gets a private size-capped tmpfs at /tmp (the
only writable place), a fresh /proc, a minimal read-only /dev, no network (an empty network namespace),
its own PID, IPC, UTS and user namespaces, no capabilities, no nested user namespaces, a new terminal
session, a cleared environment, and it dies with the grader (--die-with-parent). /proc/sys,
/proc/sysrq-trigger and the other /proc entries Docker masks are covered read-only. The worker runs as
PID 1 of its PID namespace (--as-pid-1), so learner code cannot kill it.

Which host uid the sandbox runs as (`sandbox_mode()`):
* "user": the grader is not root; bwrap runs as the grader's own uid.
* "staged": the grader is root. bwrap would map host uid 0 into the sandbox, and uid 0 without
  capabilities still owns root's files: it could open /proc/sys/kernel/core_pattern for writing (measured
  here before the covers existed). So a small wrapper (`STAGE`) enters a private mount namespace, binds the
  directories the sandbox needs (some, like a pyenv Python under /root, are not reachable by other users)
  under a fresh tmpfs, drops to uid/gid nobody and only then execs bwrap. RLIMIT_NPROC then works too.
* "root": the grader is root and staging failed (no mount namespaces here): bwrap runs as root, so
  sandboxed code is host uid 0 without capabilities, kept from /proc/sys by the covers only. This is
  weaker and is warned about.

Limits, honestly:
* The only seccomp filter (worker/seccomp.py) keeps the learner's process from changing any other
  process's limits or scheduling (the zygote shares its uid); the rest of the kernel's system-call
  surface is reachable, as in any unprivileged process. A kernel exploit escapes this sandbox.
* Memory is bounded per process (RLIMIT_AS = the warm zygote's address space + memory_mb) plus a 50 ms
  watchdog over the sandbox's processes' anonymous memory and SysV shared memory; it is not a cgroup.
  Memory held in memfds or tmpfs files is bounded only by the tmpfs size and RLIMIT_FSIZE x RLIMIT_NOFILE
  per process, for as long as the submission runs.
* RLIMIT_NPROC (counted per user namespace) bounds a fork bomb, except in "root" mode, where the kernel
  does not enforce it and the 50 ms watchdog is the only bound (a few hundred processes before the kill).
* In "staged" mode all sandboxes run as host uid nobody: they cannot signal each other (PID namespaces)
  or read each other's files (private tmpfs), but they share that uid's per-user kernel accounting.
* One zygote serves consecutive submissions inside one set of namespaces: processes, files, /tmp and SysV
  IPC are cleaned between them, but a colluding pair could still pass a few bytes through kernel state
  that outlives processes (e.g. keyrings). That is a channel between learners who cooperate, not a way to
  change another learner's grade.

Without bubblewrap (`fallback_command`): the worker runs as an ordinary child process in its own session,
with the same rlimits, the same watchdog, the same seccomp filter and the same cleanup (it is a child
subreaper and kills every descendant after each submission). When the grader runs as root, each
submission's process drops to uid/gid nobody after the fork (if the Python installation is not readable
by nobody, only the modules the zygote imported at start remain usable, and a warning says so); as nobody
it can still read whatever is readable by others. Otherwise it runs as the grader's own user and CAN read
and write whatever that user can, including the reference solutions, and signal the grader's other
processes. A process that both escapes the zygote's process group and outlives a killed zygote escapes
cleanup. There is no network or PID isolation. Use it only for trusted code; Gradescope's run_autograder
refuses to grade with it.
"""

import functools
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import warnings
from pathlib import Path

WORKER_DIR = Path(__file__).resolve().parent.parent / "worker"
REPO_DIR = WORKER_DIR.parent.parent
MOUNT = "/opt/grader"
SANDBOX_ENV = {
    "HOME": "/tmp",
    "MPLBACKEND": "Agg",
    "MPLCONFIGDIR": "/tmp/mpl",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "LANG": "C.UTF-8",
}
LIB_DIRS = ("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32")
HIDDEN_PACKAGES = ("solutions", "autograder")
# python -I -S -B -c BOOT CTRL_FD MODE SCRATCH PATH...: no site, no user site, no environment, no bytecode
BOOT = (
    "import sys; sys.path[:0] = sys.argv[4:]; from worker.main import main; "
    "main(int(sys.argv[1]), sys.argv[2], sys.argv[3])"
)


NOBODY = 65534
PROC_COVERS = (
    "sys",
    "sysrq-trigger",
    "irq",
    "bus",
    "fs",
    "acpi",
    "scsi",
    "driver",
    "kcore",
    "keys",
    "timer_list",
)
# Runs as root (in a fresh Python): private mount namespace, bind the sources under a tmpfs readable by
# nobody, drop to nobody, exec bwrap. argv: SPEC_JSON /abs/path/to/bwrap ARGS...
STAGE = r"""
import ctypes, json, os, sys
spec, argv = json.loads(sys.argv[1]), sys.argv[2:]
libc = ctypes.CDLL(None, use_errno=True)
def check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, what + ": " + os.strerror(err))
check(libc.unshare(0x00020000), "unshare(CLONE_NEWNS)")
check(libc.mount(b"none", b"/", None, 16384 | 262144, None), "make / private")
stage = spec["stage"]
check(libc.mount(b"tmpfs", stage.encode(), b"tmpfs", 2 | 4, b"mode=755,size=64k"), "tmpfs on the stage")
for name, source in spec["binds"].items():
    target = os.path.join(stage, name)
    os.mkdir(target, 0o755)
    check(libc.mount(source.encode(), target.encode(), None, 4096 | 16384, None), "bind " + source)
os.setgroups([])
os.setgid(spec["gid"])
os.setuid(spec["uid"])
os.execv(argv[0], argv)
"""


class UnsandboxedWarning(RuntimeWarning):
    """Learner code is about to run without bubblewrap."""


class WeakSandboxWarning(RuntimeWarning):
    """bubblewrap runs as root: sandboxed code is host uid 0 (without capabilities)."""


def interpreter():
    """The real Python binary behind this (possibly virtual) environment."""
    for candidate in (sys.executable, getattr(sys, "_base_executable", sys.executable)):
        real = os.path.realpath(candidate)
        if real.startswith(os.path.realpath(sys.base_prefix) + os.sep):
            return real
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def site_dirs():
    """The site-packages directories the worker needs (numpy, matplotlib and their dependencies)."""
    found = []
    for key in ("purelib", "platlib"):
        path = os.path.realpath(sysconfig.get_path(key))
        if os.path.isdir(path) and path not in found:
            found.append(path)
    return found


def _python_command(ctrl_fd, mode, scratch, paths):
    return [interpreter(), "-I", "-S", "-B", "-c", BOOT, str(ctrl_fd), mode, scratch, *paths]


def staged_sources(stage):
    """{host directory: where the STAGE wrapper makes it visible} for "staged" mode."""
    sources = {os.path.realpath(sys.base_prefix): f"{stage}/python", str(WORKER_DIR): f"{stage}/worker"}
    for i, path in enumerate(site_dirs()):
        sources[path] = f"{stage}/site-{i}"
    return sources


def bwrap_argv(command, scratch_bytes=64 << 20, sources=None):
    """The bwrap command line that runs `command` (argv inside the sandbox) with the layout above.
    `sources` maps host directories to the paths bwrap should bind them from (see staged_sources)."""
    sources = sources or {}
    base = os.path.realpath(sys.base_prefix)
    argv = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-all",
        "--unshare-user",  # explicit: --disable-userns needs it
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--as-pid-1",
        "--cap-drop",
        "ALL",
        "--hostname",
        "grader",
        "--clearenv",
    ]
    for key, value in SANDBOX_ENV.items():
        argv += ["--setenv", key, value]
    for path in LIB_DIRS:
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path) and not base.startswith(path + os.sep) and base != path:
            argv += ["--ro-bind", path, path]
    argv += ["--ro-bind", sources.get(base, base), base]
    sites = site_dirs()
    base_site = os.path.realpath(
        sysconfig.get_path("purelib", vars={"base": sys.base_prefix, "platbase": sys.base_prefix})
    )
    if os.path.isdir(base_site) and base_site not in sites and base_site.startswith(base + os.sep):
        argv += ["--tmpfs", base_site, "--remount-ro", base_site]
    for i, path in enumerate(sites):
        target = f"{MOUNT}/site-packages" + (f"-{i}" if i else "")
        argv += ["--ro-bind", sources.get(path, path), target]
        for name in HIDDEN_PACKAGES:
            if os.path.exists(os.path.join(path, name)):
                argv += ["--tmpfs", f"{target}/{name}", "--remount-ro", f"{target}/{name}"]
    argv += ["--ro-bind", sources.get(str(WORKER_DIR), str(WORKER_DIR)), f"{MOUNT}/worker"]
    argv += ["--proc", "/proc"]
    for name in PROC_COVERS:  # bwrap covers some of these only when it judges them writable
        argv += ["--ro-bind-try", f"/proc/{name}", f"/proc/{name}"]
    argv += ["--dev", "/dev", "--remount-ro", "/dev"]
    argv += ["--size", str(scratch_bytes), "--tmpfs", "/tmp", "--chdir", "/tmp"]
    argv += ["--remount-ro", "/"]  # bwrap's root is a writable tmpfs otherwise, and outlives submissions
    return argv + ["--", *command]


def sandbox_paths():
    """sys.path for the worker inside the sandbox."""
    return [MOUNT] + [f"{MOUNT}/site-packages" + (f"-{i}" if i else "") for i in range(len(site_dirs()))]


def _launch(command, scratch_bytes, mode, stage):
    """The host argv that runs `command` in the sandbox in the given mode."""
    if mode != "staged":
        return bwrap_argv(command, scratch_bytes)
    sources = staged_sources(stage)
    spec = {
        "stage": stage,
        "uid": NOBODY,
        "gid": NOBODY,
        "binds": {v.rsplit("/", 1)[1]: k for k, v in sources.items()},
    }
    argv = bwrap_argv(command, scratch_bytes, sources)
    return [interpreter(), "-I", "-S", "-B", "-c", STAGE, json.dumps(spec), *argv]


def sandboxed_command(ctrl_fd, scratch_bytes, stage=None):
    """argv for a sandboxed zygote that talks on inherited fd `ctrl_fd`. In "staged" mode, `stage` is an
    empty directory (owned by the grader) the wrapper mounts over in its private mount namespace."""
    command = _python_command(ctrl_fd, "sandbox", "/tmp", sandbox_paths())
    return _launch(command, scratch_bytes, sandbox_mode(), stage)


def _readable_by_others(path):
    path = Path(path)
    for part in [path, *path.parents]:
        try:
            mode = part.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH or (part == path and not mode & stat.S_IROTH):
            return False
    return True


def fallback_command(ctrl_fd, home):
    """(argv, env) for an unsandboxed zygote; `home` is a private directory it may use (and will own).

    A copy of the worker folder goes into `home`, so the zygote's sys.path holds nothing else of the
    project. That hides nothing from learner code (it can read any file its user can): it only keeps the
    worker honest about what it imports.
    """
    home = Path(home)
    code = home / "code"
    shutil.copytree(WORKER_DIR, code / "worker", ignore=shutil.ignore_patterns("__pycache__"))
    scratch = home / "scratch"
    scratch.mkdir()
    paths = [str(code), *site_dirs()]
    mode = "fallback"
    if os.geteuid() == 0:  # never run learner code as root: each submission's process drops to nobody
        mode = "fallback-nobody"
        for path in (home, code, code / "worker", scratch):
            os.chmod(path, 0o755)
        for path in (code / "worker").iterdir():
            os.chmod(path, 0o644)
        if not all(_readable_by_others(p) for p in [interpreter(), sys.base_prefix, *paths]):
            _warn_once(
                "unreadable",
                "the Python installation is not readable by user nobody here, so learner code (run as "
                "nobody) can use only the modules the worker imported at start (numpy, matplotlib, math, "
                "...); other imports fail.",
                UnsandboxedWarning,
            )
    env = dict(SANDBOX_ENV, HOME=str(scratch), MPLCONFIGDIR=str(scratch / "mpl"))
    return _python_command(ctrl_fd, mode, str(scratch), paths), env


def _try(mode):
    """'' if a trivial sandboxed Python runs in `mode` and cannot see the repository, else why not."""
    check = (
        "import os, sys; sys.path[:0] = sys.argv[1:]; import worker.wire; "
        f"print('exposed' if os.path.exists({str(REPO_DIR)!r}) or os.path.exists('/work') else 'ok')"
    )
    command = [interpreter(), "-I", "-S", "-B", "-c", check, *sandbox_paths()]
    stage = tempfile.mkdtemp(prefix="grader-stage-") if mode == "staged" else None
    try:
        argv = _launch(command, 1 << 20, mode, stage)
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bwrap failed to run: {exc}"
    finally:
        if stage is not None:
            os.rmdir(stage)
    if done.stdout.strip() == "exposed":
        return f"the sandbox can see the repository or /work ({mode} mode): refusing to use it"
    if done.returncode != 0 or done.stdout.strip() != "ok":
        detail = (done.stderr.strip() or done.stdout.strip())[-300:]
        return f"bwrap does not work here ({mode} mode, exit {done.returncode}: {detail})"
    return ""


@functools.cache
def _probe():
    """(mode or None, why not): which way of running bubblewrap works here, best first."""
    if shutil.which("bwrap") is None:
        return None, "bwrap is not installed"
    if not sys.platform.startswith("linux"):
        return None, "bubblewrap needs Linux"
    reasons = []
    for mode in ("staged", "root") if os.geteuid() == 0 else ("user",):
        reason = _try(mode)
        if not reason:
            return mode, "; ".join(reasons)
        reasons.append(reason)
    return None, "; ".join(reasons)


def sandbox_mode():
    """ "user", "staged" or "root" (see the module docstring), or None if bubblewrap does not work here."""
    return _probe()[0]


def sandbox_available():
    """True if bubblewrap is installed and a sandboxed Python actually runs here (probed once)."""
    mode, reason = _probe()
    if mode == "root":
        _warn_once(
            "root",
            f"bubblewrap runs as root here ({reason}): sandboxed code is host uid 0 without capabilities, "
            "kept from /proc/sys only by read-only covers, and RLIMIT_NPROC does not apply. Run the grader "
            "as an unprivileged user, or allow mount namespaces.",
            WeakSandboxWarning,
        )
    return mode is not None


def why_unavailable():
    return _probe()[1]


_warned = set()


def _warn_once(key, message, category):
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(message, category, stacklevel=4)


def warn_unsandboxed():
    """Say once, loudly, that learner code will run without a sandbox."""
    reason = why_unavailable() or "sandbox=False was requested"
    _warn_once(
        "unsandboxed",
        f"LEARNER CODE WILL RUN UNSANDBOXED ({reason}). It keeps rlimits, a fresh process per submission "
        "and cleanup of leftover processes, but it can read the reference solutions and anything else this "
        "user can read. Install bubblewrap (apt-get install bubblewrap) before grading untrusted code.",
        UnsandboxedWarning,
    )
