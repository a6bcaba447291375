"""One submission's session: a freshly forked process running the learner's cells, and the calls to it.

    with Worker() as worker:                # zygote.py: one pre-warmed zygote
        with worker.open(cells) as session:  # one submission = one fresh forked process
            outcome = session.call("diffp", TestFn("sq"), 0, 3.0)
        print(session.output)                # captured learner output, after close()

Channel. Each submission gets its own socket pair: the child's end is passed to the zygote with SCM_RIGHTS
and closed by the grader after the fork. Learner code can write anything to its own socket; that can only
break or forge its own answers: every frame is length-prefixed and size-capped, parsed as JSON and then
decoded strictly (`plain.decode`), and a malformed frame ends that session with SessionDead("protocol").
Garbage can never reach the next submission, which gets a new socket.

Timing. The clock starts when `open()` sends the submission to the (already running) zygote, so a zygote
restart is not charged to the learner. Running the cells counts. At the deadline the grader raises
SessionDead("timeout") and the zygote kills the process and everything it started; the zygote also
enforces the same deadline on its own, so a session nobody closes still ends. Calls completed before the
deadline keep their results (they were returned).
"""

import select
import time
from dataclasses import dataclass, field

import numpy as np

from ..sanitize import clean
from ..worker import wire
from ..worker.plain import decode, encode_arg
from ..worker.trace import decode_trace
from .channel import ProtocolError

REASONS = ("timeout", "memory", "exited", "crashed", "protocol")
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
