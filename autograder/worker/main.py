"""The worker: a pre-warmed zygote that forks one fresh process per submission. Runs next to learner code.

This module is the zygote; `child.py` is what a forked submission process does, and `system.py` holds the
Linux plumbing (prctl, rlimits, /proc, SysV IPC, wiping) both use.

Started by `autograder.sandbox.Worker`, normally inside bubblewrap (see `autograder.sandbox.launch`), as
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
import gc
import json
import mmap
import os
import select
import signal
import socket
import time

from . import child, wire
from .child import DROPPED_FLAG, MEMORY_FLAG
from .system import (
    NOBODY,
    PR_SET_CHILD_SUBREAPER,
    PR_SET_DUMPABLE,
    pids,
    prctl,
    proc_status,
    process_state,
    reap_nowait,
    remove_sysv_ipc,
    scratch_inodes,
    sysv_shm_bytes,
    wipe,
)

# Empty files use none of the tmpfs's size cap but pin kernel memory (measured: 2.5 GB of them under a
# 256 MB limit), so the watchdog also counts the sandbox's files.
MAX_FILES = 20000


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


class Zygote:
    def __init__(self, ctrl_fd, mode, scratch):
        self.ctrl_fd = ctrl_fd
        self.ctrl = socket.socket(fileno=ctrl_fd)
        self.ctrl.setblocking(True)
        self.mode = mode  # "sandbox", "fallback" or "fallback-nobody"
        self.sandboxed = mode == "sandbox"
        self.scratch = scratch  # the sandbox's /tmp, or a private directory on the host
        self.interval = 0.05 if self.sandboxed else 0.2
        self.state = process_state()

    def intact(self):
        """False if something changed our limits or scheduling (a learner's prlimit or renice of PID 1,
        had the seccomp filter not stopped it): then no submission may be forked from us."""
        try:
            return process_state() == self.state
        except OSError:
            return False

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
                if not self.intact():
                    os.close(fds[0])
                    return  # the grader sees us gone before the cells ran and retries on a fresh zygote
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
                child.run(
                    message["cells"],
                    session_fd,
                    out_r,
                    out_w,
                    workdir,
                    limits,
                    me,
                    shared,
                    ctrl_fd=self.ctrl_fd,
                    mode=self.mode,
                    sandboxed=self.sandboxed,
                )
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
        clean = wipe(self.scratch, keep_root=True) if self.sandboxed else wipe(workdir, keep_root=False)
        if self.sandboxed:
            remove_sysv_ipc()
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
            return [pid for pid in pids() if pid != me]
        children, found = {}, []
        for pid in pids():
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
        tasks, anon = 0, sysv_shm_bytes() if self.sandboxed else 0
        for pid in self.session_processes():
            status = proc_status(pid)
            if not status or status.get("State") == "Z":
                continue
            tasks += status.get("Threads", 1)
            anon += max(0, status.get("RssAnon", 0) - base_anon)
        if tasks > limits["max_processes"]:
            return "crashed", f"too many processes or threads; the limit is {limits['max_processes']}"
        if self.sandboxed and scratch_inodes(self.scratch) > MAX_FILES:
            return "memory", f"more than {MAX_FILES} files in /tmp"
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
            reap_nowait()
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
