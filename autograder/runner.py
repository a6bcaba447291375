"""Run learner code in a sandboxed worker and call its functions; only plain data ever comes back.

    with Worker() as worker:                # one pre-warmed zygote (inside bubblewrap when it works here)
        with worker.open(cells) as session:  # one submission = one fresh forked process
            outcome = session.call("diffp", TestFn("sq"), 0, 3.0)
        print(session.output)                # captured learner output, after close()

Channels. The grader talks to the zygote over a private control socket that no learner process holds
(each child closes it before running learner code, and the zygote is non-dumpable, so /proc/1/fd/* is
out of reach). Each submission gets its own socket pair: the child's end is passed to the zygote with
SCM_RIGHTS and closed by the grader after the fork. Learner code can write anything to its own socket;
that can only break or forge its own answers: every frame is length-prefixed and size-capped, parsed as
JSON and then decoded strictly (`plain.decode`), and a malformed frame ends that session with
SessionDead("protocol"). Garbage can never reach the next submission, which gets a new socket. Because the
control channel cannot be reached, a protocol error does not restart the zygote; any anomaly on the control
channel itself does.

Timing. The clock starts when `open()` sends the submission to the (already running) zygote, so a zygote
restart is not charged to the learner. Running the cells counts. At the deadline the grader raises
SessionDead("timeout") and the zygote kills the process and everything it started; the zygote also
enforces the same deadline on its own, so a session nobody closes still ends. Calls completed before the
deadline keep their results (they were returned).

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
from dataclasses import dataclass, field

import numpy as np

from . import sandbox as _sandbox
from .channel import Channel, ProtocolError
from .sanitize import clean
from .worker import wire
from .worker.plain import decode, encode_arg
from .worker.trace import decode_trace

REASONS = ("timeout", "memory", "exited", "crashed", "protocol")
START_TIMEOUT = 60.0  # seconds for a zygote to import numpy and matplotlib and say hello
END_GRACE = 5.0  # seconds for the zygote to kill a submission's processes and report
MAX_TEXT = 1000  # longest error / cell-error text kept from the worker
MAX_NAMES = 5000


@dataclass
class Limits:
    """Read at each open(), so a Worker's limits may change between submissions (except the size of the
    sandbox's tmpfs, fixed when a zygote starts)."""

    timeout: float = 60.0  # wall-clock seconds per submission, from open() on
    memory_mb: int = 1024  # per submission: extra address space per process, and all processes together
    output_bytes: int = 65536  # cap on captured learner output
    max_processes: int = 32  # processes + threads a submission may have at once
    scratch_mb: int = 64  # size of the sandbox's writable /tmp, and the largest file a submission may write


@dataclass
class Outcome:
    value: object = None  # decoded with plain.decode: None/bool/int/float/list/np.ndarray
    error: str | None = None  # learner exception or unsupported return type, human readable
    mutated: list[int] = field(default_factory=list)  # positions of positional array args changed in place
    trace: list | None = None  # for a traced call: [(name, args, result)] of the learner's calls (trace.py)


class SessionDead(Exception):
    """The submission's process is gone (or was stopped). `reason` is one of REASONS."""

    def __init__(self, reason, message=""):
        super().__init__(message or reason)
        self.reason = reason


def _text(value, limit=MAX_TEXT):
    """Text from the learner's side, made safe for every writer and terminal (sanitize.clean)."""
    if type(value) is not str:
        raise ProtocolError("expected text")
    return clean(value, limit)


class Session:
    """One submission, running in its own freshly forked process. Create with Worker.open()."""

    def __init__(self, worker, sid, conn, deadline, limits):
        self._worker, self._sid, self._conn = worker, sid, conn
        self._deadline, self._limits = deadline, limits
        self._next_id = 1
        self._ended = None  # the zygote's `ended` report once received
        self._closed = False
        self.defined: set[str] = set()
        self.cell_errors: list[str] = []
        self.output: str = ""
        self.dead: SessionDead | None = None
        self._cell = 0  # the cell running, as last reported
        self._ready = False

    # --- public --------------------------------------------------------------------------------------------

    def call(self, name, *args, **kwargs):
        """Call the learner's top-level function `name`; raise SessionDead once the process is gone."""
        return self.request(name, args, kwargs)

    def call_traced(self, name, *args, **kwargs):
        """Like call(), and the Outcome's `trace` lists the learner's own function calls it made."""
        return self.request(name, args, kwargs, trace=True)

    def run_program(self, name, *args, **kwargs):
        """Run the named check program (worker/programs/) on the learner's namespace."""
        return self.request(name, args, kwargs, program=True)

    def request(self, name, args, kwargs, trace=False, program=False):
        if self.dead is None:
            self._check()
        if self.dead is not None:
            raise SessionDead(self.dead.reason, str(self.dead))
        ident = self._next_id
        self._next_id += 1
        request = {
            "id": ident,
            "name": str(name),
            "args": [encode_arg(a) for a in args],
            "kwargs": {str(k): encode_arg(v) for k, v in kwargs.items()},
        }
        if trace:
            request["trace"] = True
        if program:
            request["program"] = True
        try:
            if not self._conn.send(wire.pack(request), self._deadline):
                self._die("timeout")
            else:
                reply = self._next_frame()
                if reply is not None:
                    return self._outcome(reply, ident, args, trace)
        except ProtocolError as exc:
            self._die("protocol", str(exc))
        raise SessionDead(self.dead.reason, str(self.dead))

    def close(self):
        """Kill the submission's process and everything it started; idempotent. `output` is then set."""
        if self._closed:
            return
        self._closed = True
        if self._ended is None:
            self._worker._end(self)
        if self.dead is None:
            self.dead = SessionDead("exited", "the session is closed")
        self._conn.close()
        if self._ended is not None:
            self.output = self._ended["output"]
            if self._ended["truncated"]:
                self.output += "\n[... output truncated]"
        if self._worker._session is self:
            self._worker._session = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- internals -----------------------------------------------------------------------------------------

    def _wait_ready(self):
        try:
            while True:
                message = self._next_frame()
                if message is None:
                    return
                if type(message) is dict and set(message) == {"cell"} and type(message["cell"]) is int:
                    self._cell = message["cell"]
                    continue
                if type(message) is not dict or message.get("ready") is not True:
                    raise ProtocolError("unexpected message while running the cells")
                names, errors = message.get("defined"), message.get("cell_errors")
                if type(names) is not list or type(errors) is not list:
                    raise ProtocolError("malformed ready message")
                self.defined = {_text(n, 200) for n in names[:MAX_NAMES]}
                self.cell_errors = [_text(e) for e in errors[:MAX_NAMES]]
                self._ready = True
                return
        except ProtocolError as exc:
            self._die("protocol", str(exc))

    def _next_frame(self):
        """The next frame from the learner's process, or None after marking the session dead."""
        conn = self._conn
        while True:
            conn.pump()
            message = conn.frame()
            if message is not None:
                return message
            if self._worker._poll_ctrl(self):
                return None
            if conn.eof:
                # the process closed its socket: the zygote says why (give it a moment)
                self._worker._await_ended(self, time.monotonic() + END_GRACE)
                if self.dead is None:
                    self._die("exited", "it closed its connection")
                return None
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                self._die("timeout")
                return None
            ctrl = self._worker._ctrl
            select.select([conn.sock] + ([ctrl.sock] if ctrl is not None else []), [], [], remaining)

    def _check(self):
        """Before a call: notice a deadline that passed or a report that came in between calls."""
        if self._worker._poll_ctrl(self):
            return
        if time.monotonic() >= self._deadline:
            self._die("timeout")

    def _outcome(self, reply, ident, args, trace=False):
        try:
            keys = {"id", "value", "error", "mutated"}
            if type(reply) is not dict or not keys <= set(reply) <= keys | ({"trace"} if trace else set()):
                raise ProtocolError("malformed reply")
            if type(reply["id"]) is not int or reply["id"] != ident:
                raise ProtocolError("reply to the wrong request")
            error = reply["error"]
            if error is not None:
                error = _text(error)
            mutated = reply["mutated"]
            if type(mutated) is not list or not all(
                type(i) is int and 0 <= i < len(args) and isinstance(args[i], np.ndarray) for i in mutated
            ):
                raise ProtocolError("malformed list of mutated arguments")
            try:
                value = decode(reply["value"])
            except Exception as exc:  # noqa: BLE001 - Unsupported, or anything a forged value provokes
                raise ProtocolError(f"undecodable value ({type(exc).__name__})") from None
            calls = None
            if "trace" in reply:
                try:
                    calls, _dropped = decode_trace(reply["trace"])
                except ValueError as exc:
                    raise ProtocolError(str(exc)) from None
        except ProtocolError as exc:
            self._die("protocol", str(exc))
            raise SessionDead(self.dead.reason, str(self.dead)) from None
        return Outcome(value=value, error=error, mutated=sorted(set(mutated)), trace=calls)

    def _message(self, reason, detail):
        limits = self._limits
        base = {
            "timeout": f"the code did not finish within {limits.timeout:g} s",
            "memory": f"the code used more than {limits.memory_mb} MB of memory",
            "exited": "the process exited",
            "crashed": "the process crashed",
            "protocol": "the process broke the grader's protocol",
        }[reason]
        return f"{base} ({detail})" if detail and reason != "timeout" else base

    def _die(self, reason, detail=""):
        """Mark the session dead (first reason wins) and make sure the zygote ends it."""
        if self.dead is not None:
            return
        self.dead = SessionDead(reason, self._message(reason, detail))
        if not self._ready and self._cell:
            self.cell_errors.append(f"cell {self._cell}: {self.dead}")
        if self._ended is None:
            self._worker._end(self)


class Worker:
    """One pre-warmed zygote, reused across submissions (restarted transparently if it dies)."""

    def __init__(self, limits: Limits | None = None, sandbox: bool | None = None):
        self.limits = limits if limits is not None else Limits()
        available = _sandbox.sandbox_available() if sandbox in (None, True) else False
        if sandbox is True and not available:
            raise RuntimeError(f"no working sandbox: {_sandbox.why_unavailable()}")
        self.sandboxed = bool(available)
        if not self.sandboxed:
            _sandbox.warn_unsandboxed()
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
            if _sandbox.sandbox_mode() == "staged":
                self._stage = tempfile.mkdtemp(prefix="grader-stage-")
            argv = _sandbox.sandboxed_command(child.fileno(), self.limits.scratch_mb << 20, self._stage)
        else:
            self._home = tempfile.mkdtemp(prefix="grader-worker-")
            argv, env = _sandbox.fallback_command(child.fileno(), self._home)
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

    from .worker.system import open_up

    open_up(path)
    shutil.rmtree(path, ignore_errors=True)


def sandbox_available() -> bool:
    """bwrap is present AND actually works here (probed once, cached)."""
    return _sandbox.sandbox_available()
