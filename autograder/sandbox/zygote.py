"""The grader's side of one pre-warmed zygote: start it (in the sandbox when it works here), hand it
submissions, restart it when it dies, stop it.

The grader talks to the zygote over a private control socket that no learner process holds (each child
closes it before running learner code, and the zygote is non-dumpable, so /proc/1/fd/* is out of reach).
Because the control channel cannot be reached, a protocol error on a session does not restart the zygote;
any anomaly on the control channel itself does.

`open()` does not raise for anything the learner's code does: if the cells kill the process or run out of
time, the Session comes back already dead (`session.dead`) with a note in `cell_errors`, and every call
raises SessionDead. It raises RuntimeError only when the worker itself cannot start.

Threads. A Worker is not thread-safe; use one per thread (bubblewrap's --die-with-parent ties the sandbox
to the thread that started it, so start and use a Worker in the same long-lived thread).
"""

import os
import select
import signal
import socket
import subprocess
import tempfile
import time
import warnings

from ..worker import wire
from . import launch
from .channel import Channel, ProtocolError
from .session import END_GRACE, REASONS, Limits, Session, SessionDead, _text

START_TIMEOUT = 60.0  # seconds for a zygote to import numpy and matplotlib and say hello


class Worker:
    """One pre-warmed zygote, reused across submissions (restarted transparently if it dies)."""

    def __init__(self, limits: Limits | None = None, sandbox: bool | None = None):
        self.limits = limits if limits is not None else Limits()
        available = launch.sandbox_available() if sandbox in (None, True) else False
        if sandbox is True and not available:
            raise RuntimeError(f"no working sandbox: {launch.why_unavailable()}")
        self.sandboxed = bool(available)
        if not self.sandboxed:
            launch.warn_unsandboxed()
        self._proc = None
        self._ctrl = None
        self._errfile = None
        self._home = None  # unsandboxed: the zygote's private directory
        self._stage = None  # "staged" sandbox: the mount point of the wrapper's private tmpfs
        self._session = None
        self._sid = 0
        self.start_seconds = None  # how long the last zygote start took
        self.starts = 0
        self.restarts = 0  # submissions opened again because the zygote died before their cells ran

    # --- public --------------------------------------------------------------------------------------------

    def open(self, cells: list[str]) -> Session:
        """Fork a fresh process for one submission and run its cells. Never raises for learner behaviour.

        If the zygote dies before the cells report (it refuses to fork once its own limits or scheduling
        were changed, or it was killed), the submission is not graded as dead: it runs once more on a
        fresh zygote.
        """
        session = self._open_once(cells)
        if session.dead is not None and not session._ready and self._proc is None:
            self.restarts += 1
            session = self._open_once(cells)
        return session

    def _open_once(self, cells):
        if self._session is not None:
            self._session.close()
        if not all(type(c) is str for c in cells):
            raise TypeError("cells must be a list of str")
        self._ensure()
        self._sid += 1
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        limits = self.limits
        deadline = time.monotonic() + limits.timeout
        message = {
            "op": "open",
            "sid": self._sid,
            "cells": list(cells),
            "timeout": float(limits.timeout),
            "memory_mb": int(limits.memory_mb),
            "output_bytes": int(limits.output_bytes),
            "max_processes": int(limits.max_processes),
            "scratch_bytes": int(limits.scratch_mb) << 20,
        }
        session = Session(self, self._sid, Channel(mine), deadline, limits)
        self._session = session
        try:
            sent = self._ctrl.send(wire.pack(message), time.monotonic() + END_GRACE, fds=[theirs.fileno()])
        except OSError:
            sent = False
        theirs.close()
        if not sent:
            self._kill()
            session._ended = {"output": "", "truncated": False}
            session.dead = SessionDead("crashed", "the process crashed (the grading worker died)")
            return session
        session._wait_ready()
        return session

    def close(self):
        """Stop the zygote and everything in its sandbox."""
        if self._session is not None:
            self._session.close()
        if self._proc is not None and self._proc.poll() is None and self._ctrl is not None:
            try:  # the zygote kills and reaps everything in its sandbox, then exits, and so does bwrap
                if self._ctrl.send(wire.pack({"op": "exit"}), time.monotonic() + 1):
                    self._proc.wait(timeout=END_GRACE)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 - interpreter shutdown
            pass

    # --- zygote lifecycle ---------------------------------------------------------------------------------

    def _alive(self):
        if self._proc is None or self._proc.poll() is not None or self._ctrl is None:
            return False
        try:
            self._ctrl.pump()
            if self._ctrl.eof or self._ctrl.buf:  # nothing may arrive while no session is open
                return False
        except ProtocolError:
            return False
        return True

    def _ensure(self):
        if self._alive():
            return
        self._kill()
        started = time.monotonic()
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._errfile = tempfile.TemporaryFile()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if self.sandboxed:
            if launch.sandbox_mode() == "staged":
                self._stage = tempfile.mkdtemp(prefix="grader-stage-")
            argv = launch.sandboxed_command(child.fileno(), self.limits.scratch_mb << 20, self._stage)
        else:
            self._home = tempfile.mkdtemp(prefix="grader-worker-")
            argv, env = launch.fallback_command(child.fileno(), self._home)
        try:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._errfile,
                pass_fds=[child.fileno()],
                env=env,
                start_new_session=True,
            )
        finally:
            child.close()
        self._ctrl = Channel(parent, cap=max(1 << 20, 8 * self.limits.output_bytes + (64 << 10)))
        hello = self._read_ctrl(time.monotonic() + START_TIMEOUT)
        if type(hello) is not dict or hello.get("op") != "hello":
            detail = self._stderr_tail()
            self._kill()
            raise RuntimeError(f"the grading worker did not start: {detail or hello!r}")
        self.start_seconds = time.monotonic() - started
        self.starts += 1

    def _stderr_tail(self):
        if self._errfile is None:
            return ""
        try:
            self._errfile.seek(0, os.SEEK_END)
            size = self._errfile.tell()
            self._errfile.seek(max(0, size - 2000))
            return self._errfile.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def _kill(self):
        """Kill the zygote (and with it the whole sandbox); the next open() starts a fresh one."""
        session = self._session
        if session is not None and session._ended is None:
            session._ended = {"output": "", "truncated": False}
            if session.dead is None:
                session.dead = SessionDead("crashed", "the process crashed (the grading worker died)")
        if self._proc is not None:
            try:  # the whole group: bwrap, or unsandboxed the zygote and what it left (even once it is dead)
                os.killpg(self._proc.pid, signal.SIGKILL)
            except OSError:
                pass
            if self._proc.poll() is None:
                self._proc.kill()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                warnings.warn("a grading worker did not die after SIGKILL", RuntimeWarning, stacklevel=2)
            self._proc = None
        if self._ctrl is not None:
            self._ctrl.close()
            self._ctrl = None
        if self._errfile is not None:
            self._errfile.close()
            self._errfile = None
        if self._home is not None:
            _remove_tree(self._home)
            self._home = None
        if self._stage is not None:
            try:
                os.rmdir(self._stage)
            except OSError:
                pass
            self._stage = None

    # --- control channel ----------------------------------------------------------------------------------

    def _read_ctrl(self, deadline):
        """The next control message before `deadline`, or None (the zygote is then unusable)."""
        conn = self._ctrl
        try:
            while True:
                message = conn.frame()
                if message is not None:
                    return message
                if conn.eof:
                    return None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                readable, _, _ = select.select([conn.sock], [], [], remaining)
                if readable:
                    conn.pump()
        except ProtocolError:
            return None

    def _accept_ended(self, session, message):
        """Record a zygote's `ended` report for `session`; False if the message is not a valid one."""
        if type(message) is not dict or message.get("op") != "ended" or message.get("sid") != session._sid:
            return False
        try:
            reason = message["reason"]
            if reason not in ("closed", *REASONS):
                return False
            detail = _text(message["detail"], 300)
            output = _text(message["output"], self.limits.output_bytes)
            truncated = message["truncated"] is True or len(message["output"]) > self.limits.output_bytes
        except (KeyError, ProtocolError):
            return False
        session._ended = {"output": output, "truncated": truncated}
        if reason != "closed":
            session._die(reason, detail)
        return True

    def _poll_ctrl(self, session):
        """Non-blocking: take any report about `session`; True if the session is (now) dead."""
        if session._ended is None and self._ctrl is not None:
            try:
                self._ctrl.pump()
                message = self._ctrl.frame()
            except ProtocolError:
                message = False
            if message is not None and not self._accept_ended(session, message):
                self._kill()  # the control channel is out of step: start afresh
            elif self._ctrl is not None and self._ctrl.eof and session._ended is None:
                self._kill()
        return session.dead is not None

    def _await_ended(self, session, deadline):
        if session._ended is None and self._ctrl is not None:
            message = self._read_ctrl(deadline)
            if message is None or not self._accept_ended(session, message):
                self._kill()

    def _end(self, session):
        """Ask the zygote to end `session` and wait until it has killed everything and reported."""
        if session._ended is not None:
            return
        if self._ctrl is None or self._proc is None:
            self._kill()
            return
        deadline = time.monotonic() + END_GRACE
        try:
            sent = self._ctrl.send(wire.pack({"op": "end", "sid": session._sid}), deadline)
        except (OSError, ProtocolError):
            sent = False
        if not sent:
            self._kill()
            return
        self._await_ended(session, deadline)


def _remove_tree(path):
    """Remove an unsandboxed zygote's home, never following a learner's links (see system.open_up)."""
    import shutil

    from ..worker.system import open_up

    open_up(path)
    shutil.rmtree(path, ignore_errors=True)
