"""The worker: a pre-warmed zygote that forks one fresh process per submission. Runs next to learner code.

Started by `autograder.runner.Worker`, normally inside bubblewrap (see `autograder.sandbox`), as
`python -I -S -B -c BOOT CTRL_FD MODE SCRATCH PATH...`. It imports numpy and matplotlib (Agg) once, then
loops over control messages from the grader:

* `open` (carrying a fresh socket for this submission as an SCM_RIGHTS fd): fork a child. The child drops
  the control channel, points fd 0 at /dev/null and fds 1/2 at a capture pipe, applies rlimits, runs the
  learner's cells in one namespace (each cell's exception, SystemExit included, is recorded and the next
  cell runs), reports `{"ready": ..., "defined": [...], "cell_errors": [...]}` on its own socket, then
  answers call requests there until that socket closes. Replies are plain data only (`plain.encode` via
  `invoke`).
* While the child runs, the zygote drains the capture pipe (keeping `output_bytes`), enforces the
  wall-clock deadline, and every 50 ms counts the sandbox's processes and their anonymous memory (a
  watchdog for fork bombs and many-process memory hogs, which per-process rlimits cannot bound).
* The session ends on `end` from the grader, the deadline, the child's death or the watchdog. The zygote
  then SIGKILLs every other process (in the sandbox: `kill(-1)` from PID 1 of the sandbox's own PID
  namespace; unsandboxed: every descendant, found through /proc, the zygote being a child subreaper),
  reaps them, wipes the scratch directory (and SysV IPC objects), and only then reports `ended` with the
  reason and the captured output. If the scratch cannot be wiped the zygote exits, so the grader starts a
  fresh one on a fresh tmpfs.

In the sandbox the zygote is PID 1 of its PID namespace, so learner code cannot kill or stop it (the
kernel drops SIGKILL/SIGSTOP, and signals without a handler, sent to a namespace's init from inside), and
it is non-dumpable, so learner code cannot ptrace it or open /proc/1/mem or /proc/1/fd/*.

The learner's process is the learner's: anything it reports (values, `mutated`, `defined`, errors) can be
forged by learner code and is only ever treated as that learner's own answer. The grader decodes it
strictly (`plain.decode`); nothing here is trusted for anything else.

This module must import nothing outside this folder (the only project code the sandbox can see).
"""

import builtins
import ctypes
import gc
import io
import json
import mmap
import os
import resource
import select
import shutil
import signal
import socket
import sys
import time
import types

from . import wire
from .invoke import defined_functions, describe_exception, invoke

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
IPC_RMID = 0
NOBODY = 65534
MAX_NAMES = 5000
MAX_NAME_LENGTH = 200
MAX_CELL_ERROR = 500
NOFILE = 256
# shared page between zygote and child: byte 0 = a MemoryError was seen, byte 1 = output was dropped
MEMORY_FLAG, DROPPED_FLAG = 0, 1

_libc = ctypes.CDLL(None, use_errno=True)


def prctl(option, value):
    ulong = ctypes.c_ulong
    if _libc.prctl(ctypes.c_int(option), ulong(value), ulong(0), ulong(0), ulong(0)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _no_show(*args, **kwargs):
    """plt.show() under the grader: nothing to show, and no warning on stderr."""


def warm_up():
    """Import what learners use, once, so each fork starts warm."""
    import matplotlib
    import numpy  # noqa: F401

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.show = _no_show
    fig, ax = plt.subplots()
    ax.plot([0.0, 1.0], [0.0, 1.0], label="warm")
    ax.set_title("warm")
    ax.legend()
    fig.canvas.draw()
    plt.close(fig)
    import collections  # noqa: F401
    import copy  # noqa: F401
    import dataclasses  # noqa: F401
    import functools  # noqa: F401
    import itertools  # noqa: F401
    import math  # noqa: F401
    import random  # noqa: F401
    import statistics  # noqa: F401
    import traceback  # noqa: F401
    import typing  # noqa: F401


def proc_status(pid):
    """A few fields of /proc/PID/status (memory in bytes), or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            text = f.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("PPid", "Threads", "RssAnon", "VmSize", "State"):
            parts = value.split()
            if not parts:
                continue
            if key == "State":
                fields[key] = parts[0]
            elif key in ("RssAnon", "VmSize"):
                fields[key] = int(parts[0]) * 1024
            else:
                fields[key] = int(parts[0])
    return fields


def _pids():
    try:
        return [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []


def _reap_nowait():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _sysv_shm_bytes():
    try:
        with open("/proc/sysvipc/shm") as f:
            rows = f.read().splitlines()[1:]
        return sum(int(row.split()[14]) for row in rows if len(row.split()) > 14)
    except (OSError, ValueError):
        return 0


def _remove_sysv_ipc():
    """Remove every SysV IPC object in the sandbox's IPC namespace (they would outlive the submission)."""
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            parts = row.split()
            if len(parts) < 2 or not parts[1].isdigit():
                continue
            ident = int(parts[1])
            if kind == "shm":
                _libc.shmctl(ident, IPC_RMID, None)
            elif kind == "sem":
                _libc.semctl(ident, 0, IPC_RMID)
            else:
                _libc.msgctl(ident, IPC_RMID, None)


def _wipe(path, keep_root):
    """Delete everything under `path` (and `path` itself unless keep_root). True if nothing is left."""
    for root, dirs, _files in os.walk(path):
        for name in dirs:  # learner code may have chmod-ed directories to 000
            try:
                os.chmod(os.path.join(root, name), 0o700)
            except OSError:
                pass
    try:
        names = os.listdir(path) if keep_root else [None]
    except FileNotFoundError:
        return True
    for name in names:
        target = path if name is None else os.path.join(path, name)
        try:
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)
            else:
                os.unlink(target)
        except OSError:
            pass
    try:
        return not os.listdir(path) if keep_root else not os.path.lexists(path)
    except OSError:
        return not os.path.lexists(path)


class LearnerOutput(io.TextIOBase):
    """sys.stdout/sys.stderr for learner code: written straight to the capture pipe until the shared
    budget is spent, then dropped without a system call, so a print flood costs only the learner's time."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, fd, budget, shared):
        self._fd, self._budget, self._shared = fd, budget, shared
        self.buffer = _BinaryOutput(self)

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def flush(self):
        pass

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            left = self._budget[0]
            if left > 0:
                self.emit(text[:left].encode("utf-8", "replace"), dropped=len(text) > left)
            else:
                self._shared[DROPPED_FLAG] = 1
        return len(text)

    def emit(self, data, dropped=False):
        left = self._budget[0]
        if left <= 0:
            self._shared[DROPPED_FLAG] = 1
            return
        chunk = data[:left]
        self._budget[0] = left - len(chunk)
        if dropped or len(chunk) < len(data):
            self._shared[DROPPED_FLAG] = 1
        try:
            wire.write_all(self._fd, chunk)
        except OSError:
            pass


class _BinaryOutput:
    """sys.stdout.buffer for code that writes bytes."""

    def __init__(self, text):
        self._text = text

    def write(self, data):
        data = bytes(data)
        if data:
            self._text.emit(data)
        return len(data)

    def flush(self):
        pass

    def writable(self):
        return True

    def fileno(self):
        return self._text.fileno()


def _learner_line(exc):
    """The line number in the learner's cell where `exc` was raised, if any."""
    try:
        tb, line = exc.__traceback__, None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.startswith("<cell "):
                line = tb.tb_lineno
            tb = tb.tb_next
        return line
    except Exception:  # noqa: BLE001 - a learner's exception object may be strange; the line is optional
        return None


def describe_cell_error(index, exc):
    text = describe_exception(exc)
    line = None if isinstance(exc, SyntaxError) else _learner_line(exc)
    if line is not None:
        text = f"{text} (line {line})"
    return f"cell {index}: {text}"[:MAX_CELL_ERROR]


def _set_limit(resource_id, value):
    try:
        _soft, hard = resource.getrlimit(resource_id)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(resource_id, (value, value))
    except (ValueError, OSError):
        pass


class Zygote:
    def __init__(self, ctrl_fd, mode, scratch):
        self.ctrl_fd = ctrl_fd
        self.ctrl = socket.socket(fileno=ctrl_fd)
        self.ctrl.setblocking(True)
        self.mode = mode  # "sandbox", "fallback" or "fallback-nobody"
        self.sandboxed = mode == "sandbox"
        self.scratch = scratch  # the sandbox's /tmp, or a private directory on the host
        self.interval = 0.05 if self.sandboxed else 0.2

    # --- control channel -------------------------------------------------------------------------------

    def send(self, message):
        wire.write_all(self.ctrl_fd, wire.pack(message))

    def receive(self):
        """The next control message and any fds passed with it; (None, []) at end of file."""
        data, fds, _flags, _addr = socket.recv_fds(self.ctrl, wire.HEADER, 4)
        if not data:
            return None, fds
        header = data + (wire.read_exact(self.ctrl_fd, wire.HEADER - len(data)) or b"")
        size = int.from_bytes(header, "big")
        payload = wire.read_exact(self.ctrl_fd, size) if len(header) == wire.HEADER else None
        if payload is None:
            return None, fds
        return json.loads(payload.decode("utf-8")), fds

    def serve(self):
        self.send({"op": "hello", "pid": os.getpid(), "mode": self.mode})
        while True:
            message, fds = self.receive()
            if message is None or message.get("op") == "exit":
                return
            if message.get("op") == "open" and len(fds) == 1:
                if not self.session(message, fds[0]):
                    return
            elif message.get("op") == "end":
                for fd in fds:
                    os.close(fd)  # a late `end` for a session that already ended
            else:
                return  # the grader never sends anything else: stop, it will start a fresh zygote

    # --- one submission --------------------------------------------------------------------------------

    def session(self, message, session_fd):
        """Run one submission; return False if this zygote should not be reused."""
        sid = message["sid"]
        limits = {
            key: message[key]
            for key in ("timeout", "memory_mb", "output_bytes", "max_processes", "scratch_bytes")
        }
        if self.sandboxed:
            workdir = os.path.join(self.scratch, "work")
            os.makedirs(workdir, exist_ok=True)
        else:
            workdir = os.path.join(self.scratch, f"work-{sid}")
            os.makedirs(workdir, mode=0o700)
            if self.mode == "fallback-nobody":
                os.chown(workdir, NOBODY, NOBODY)
        shared = mmap.mmap(-1, mmap.PAGESIZE)
        out_r, out_w = os.pipe()
        me = proc_status(os.getpid()) or {}
        pid = os.fork()
        if pid == 0:
            try:
                self.child(message["cells"], session_fd, out_r, out_w, workdir, limits, me, shared)
            except BaseException:  # noqa: BLE001 - never return into the zygote's loop
                pass
            finally:
                os._exit(70)
        os.close(out_w)
        os.close(session_fd)
        output = bytearray()
        try:
            reason, detail, keep = self.watch(pid, sid, out_r, output, limits, me.get("RssAnon", 0), shared)
        finally:
            self.kill_all()
        truncated = self.drain(out_r, output, limits["output_bytes"]) or shared[DROPPED_FLAG] == 1
        os.close(out_r)
        shared.close()
        clean = _wipe(self.scratch, keep_root=True) if self.sandboxed else _wipe(workdir, keep_root=False)
        if self.sandboxed:
            _remove_sysv_ipc()
        self.send(
            {
                "op": "ended",
                "sid": sid,
                "reason": reason,
                "detail": detail,
                "output": bytes(output[: limits["output_bytes"]]).decode("utf-8", "replace"),
                "truncated": truncated,
            }
        )
        return keep and (clean or not self.sandboxed)

    def watch(self, pid, sid, out_r, output, limits, base_anon, shared):
        """Wait for the session to end; return (reason, detail, keep_zygote)."""
        deadline = time.monotonic() + float(limits["timeout"])
        poller = select.poll()
        poller.register(self.ctrl_fd, select.POLLIN)
        poller.register(out_r, select.POLLIN)
        try:
            pidfd = os.pidfd_open(pid)
            poller.register(pidfd, select.POLLIN)
        except (AttributeError, OSError):
            pidfd = None
        cap = limits["output_bytes"]
        next_check = time.monotonic() + self.interval
        try:
            while True:
                now = time.monotonic()
                if now >= deadline:
                    return "timeout", "", True
                if now >= next_check:
                    verdict = self.census(limits, base_anon)
                    if verdict:
                        return (*verdict, True)
                    next_check = now + self.interval
                    if pidfd is None:
                        done, status = os.waitpid(pid, os.WNOHANG)
                        if done:
                            return (*self.verdict(status, shared), True)
                wait = max(0.0, min(deadline, next_check) - time.monotonic())
                for fd, _event in poller.poll(wait * 1000):
                    if fd == out_r:
                        chunk = os.read(out_r, 1 << 16)
                        if not chunk:
                            poller.unregister(out_r)
                        elif len(output) <= cap:
                            output += chunk
                    elif fd == pidfd:
                        _, status = os.waitpid(pid, 0)
                        return (*self.verdict(status, shared), True)
                    elif fd == self.ctrl_fd:
                        message = wire.read_frame(self.ctrl_fd)
                        if message is None:
                            return "closed", "", False
                        if message.get("op") == "end" and message.get("sid") == sid:
                            return "closed", "", True
                        if message.get("op") != "end":
                            return "crashed", "an unexpected control message", False
        finally:
            if pidfd is not None:
                os.close(pidfd)

    @staticmethod
    def verdict(status, shared):
        if shared[MEMORY_FLAG] == 1 and not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            return "memory", "it died after a MemoryError"
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig == signal.SIGXCPU:
                return "timeout", "its CPU time ran out"
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            return "crashed", f"killed by {name}"
        return "exited", f"status {os.WEXITSTATUS(status)}"

    def session_processes(self):
        """PIDs of every process that belongs to the submission: all but us in the sandbox, else our
        descendants."""
        me = os.getpid()
        if self.sandboxed:
            return [pid for pid in _pids() if pid != me]
        children, found = {}, []
        for pid in _pids():
            status = proc_status(pid)
            if status and "PPid" in status:
                children.setdefault(status["PPid"], []).append(pid)
        stack = list(children.get(me, []))
        while stack:
            pid = stack.pop()
            found.append(pid)
            stack.extend(children.get(pid, []))
        return found

    def census(self, limits, base_anon):
        """A watchdog verdict (reason, detail) if the submission's processes together exceed the limits."""
        tasks, anon = 0, _sysv_shm_bytes() if self.sandboxed else 0
        for pid in self.session_processes():
            status = proc_status(pid)
            if not status or status.get("State") == "Z":
                continue
            tasks += status.get("Threads", 1)
            anon += max(0, status.get("RssAnon", 0) - base_anon)
        if tasks > limits["max_processes"]:
            return "crashed", f"too many processes or threads; the limit is {limits['max_processes']}"
        if anon > limits["memory_mb"] << 20:
            return "memory", "all its processes together"
        return None

    def kill_all(self):
        """SIGKILL every process of the submission and reap them all."""
        if self.sandboxed:
            for _ in range(1000):
                try:
                    os.kill(-1, signal.SIGKILL)  # everything in our PID namespace except us (PID 1)
                except ProcessLookupError:
                    break
                try:
                    while True:
                        os.waitpid(-1, 0)
                except ChildProcessError:
                    pass
            return
        for _ in range(1000):
            victims = [
                pid for pid in self.session_processes() if (proc_status(pid) or {}).get("State") != "Z"
            ]
            for pid in victims:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            _reap_nowait()
            if not victims and not self.session_processes():
                return
            time.sleep(0.002)

    @staticmethod
    def drain(out_r, output, cap):
        """Read what is left in the capture pipe; True if output went beyond the cap."""
        os.set_blocking(out_r, False)
        total = len(output)
        try:
            while True:
                chunk = os.read(out_r, 1 << 16)
                if not chunk:
                    break
                total += len(chunk)
                if len(output) <= cap:
                    output += chunk
        except BlockingIOError:
            pass  # a writer we could not kill still holds the pipe: ignore what it may write later
        return total > cap or len(output) > cap

    # --- the learner's process -------------------------------------------------------------------------

    def child(self, cells, session_fd, out_r, out_w, workdir, limits, me, shared):
        os.close(self.ctrl_fd)  # the control channel must be unreachable from learner code
        os.close(out_r)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        os.close(out_w)
        os.set_inheritable(session_fd, False)
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(workdir)
        if self.mode == "fallback-nobody":
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        prctl(PR_SET_DUMPABLE, 0)
        _set_limit(resource.RLIMIT_AS, me.get("VmSize", 0) + (limits["memory_mb"] << 20))
        _set_limit(resource.RLIMIT_FSIZE, limits["scratch_bytes"])
        _set_limit(resource.RLIMIT_CORE, 0)
        _set_limit(resource.RLIMIT_CPU, int(limits["timeout"]) + 2)
        _set_limit(resource.RLIMIT_NOFILE, NOFILE)
        _set_limit(resource.RLIMIT_MSGQUEUE, 0)
        if self.sandboxed:  # counted per user namespace (the zygote is one); not enforced for host root
            _set_limit(resource.RLIMIT_NPROC, limits["max_processes"] + 1)
        budget = [limits["output_bytes"]]
        sys.stdout = sys.__stdout__ = LearnerOutput(1, budget, shared)
        sys.stderr = sys.__stderr__ = LearnerOutput(2, budget, shared)
        sys.argv = [""]
        module = types.ModuleType("__main__")
        sys.modules["__main__"] = module
        namespace = module.__dict__
        errors = []
        for index, source in enumerate(cells, 1):
            wire.write_all(session_fd, wire.pack({"cell": index}))
            try:
                exec(compile(source, f"<cell {index}>", "exec"), namespace)  # noqa: S102 - that is the job
            except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
                if isinstance(exc, MemoryError):
                    shared[MEMORY_FLAG] = 1
                errors.append(describe_cell_error(index, exc))
                del exc
        names = [n[:MAX_NAME_LENGTH] for n in defined_functions(namespace)[:MAX_NAMES]]
        wire.write_all(session_fd, wire.pack({"ready": True, "defined": names, "cell_errors": errors}))
        while True:
            try:
                request = wire.read_frame(session_fd)
            except (ValueError, OSError):
                request = None
            if request is None:
                os._exit(0)
            wire.write_all(session_fd, self.answer(namespace, request, shared))

    @staticmethod
    def answer(namespace, request, shared):
        ident = request.get("id")
        try:
            name = request["name"]
            if not callable(namespace.get(name)):
                reply = {"value": None, "error": f"NameError: name {name!r} is not defined", "mutated": []}
            else:
                reply = invoke(namespace, name, request["args"], request["kwargs"])
        except BaseException as exc:  # noqa: BLE001 - report, keep serving
            reply = {"value": None, "error": f"worker error: {describe_exception(exc)}", "mutated": []}
        if (reply.get("error") or "").startswith("MemoryError"):
            shared[MEMORY_FLAG] = 1
        reply["id"] = ident
        try:
            frame = wire.pack(reply)
        except BaseException as exc:  # noqa: BLE001
            frame = wire.pack(
                {"id": ident, "value": None, "error": f"worker error: {exc!r}"[:300], "mutated": []}
            )
        if len(frame) > wire.MAX_REPLY:
            too_big = "returned a value that is too large to grade"
            frame = wire.pack({"id": ident, "value": None, "error": too_big, "mutated": reply["mutated"]})
        return frame


def main(ctrl_fd, mode, scratch):
    prctl(PR_SET_DUMPABLE, 0)  # nothing in the sandbox may ptrace us or open /proc/<us>/mem or fd/*
    if os.getpid() != 1:
        prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans of the submission come back to us, to be killed
    # Signals without a handler sent to PID 1 from inside its namespace are dropped by the kernel; Python's
    # SIGINT handler would turn one into a KeyboardInterrupt in the zygote, so restore the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.chdir(scratch)
    import site

    site.setquit()  # -S skipped site.main(); learners may still call exit()/quit()
    builtins.display = _no_show  # notebooks call IPython's display(); harmless no-op here
    warm_up()
    gc.collect()
    gc.freeze()
    zygote = Zygote(ctrl_fd, mode, scratch)
    try:
        zygote.serve()
    finally:
        zygote.kill_all()
        os._exit(0)
