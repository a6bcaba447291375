"""The learner's process: forked from the zygote for one submission, it locks itself down, runs the
learner's cells in one namespace, then answers call requests on its own socket with plain-data replies."""

import io
import os
import resource
import signal
import sys
import types

from . import seccomp, wire
from .invoke import defined_functions, invoke
from .plain import describe_exception
from .programs import REGISTRY
from .system import NOBODY, PR_SET_DUMPABLE, PR_SET_PDEATHSIG, prctl, set_limit

MAX_NAMES = 5000
MAX_NAME_LENGTH = 200
MAX_CELL_ERROR = 500
NOFILE = 256
# shared page between zygote and child: byte 0 = a MemoryError was seen, byte 1 = output was dropped
MEMORY_FLAG, DROPPED_FLAG = 0, 1


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


def run(cells, session_fd, out_r, out_w, workdir, limits, me, shared, *, ctrl_fd, mode, sandboxed):
    """Become the learner's process: lock down, run the cells, then answer calls until the socket closes."""
    os.close(ctrl_fd)  # the control channel must be unreachable from learner code
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
    if mode == "fallback-nobody":
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    prctl(PR_SET_DUMPABLE, 0)
    set_limit(resource.RLIMIT_AS, me.get("VmSize", 0) + (limits["memory_mb"] << 20))
    set_limit(resource.RLIMIT_FSIZE, limits["scratch_bytes"])
    set_limit(resource.RLIMIT_CORE, 0)
    set_limit(resource.RLIMIT_CPU, int(limits["timeout"]) + 2)
    set_limit(resource.RLIMIT_NOFILE, NOFILE)
    set_limit(resource.RLIMIT_MSGQUEUE, 0)
    if sandboxed:  # counted per user namespace (the zygote is one); not enforced for host root
        set_limit(resource.RLIMIT_NPROC, limits["max_processes"] + 1)
    try:  # no prlimit, renice, re-pin or re-schedule of any process but this one (and its children)
        seccomp.install()
    except OSError:
        pass  # a kernel without seccomp: the zygote still checks itself before every fork
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
        wire.write_all(session_fd, answer(namespace, request, shared))


def answer(namespace, request, shared):
    """The reply frame for one call request; never raises."""
    ident = request.get("id")
    try:
        name, program = request["name"], request.get("program") is True
        if program and name not in REGISTRY:
            reply = {"value": None, "error": f"worker error: no check program named {name!r}", "mutated": []}
        elif not program and not callable(namespace.get(name)):
            reply = {"value": None, "error": f"NameError: name {name!r} is not defined", "mutated": []}
        else:
            trace = request.get("trace") is True
            reply = invoke(namespace, name, request["args"], request["kwargs"], trace, program)
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
