"""The plumbing that runs learner code: a sandbox launcher, one zygote per worker, one session per
submission. Only plain data comes back.

    launch.py   how the zygote is started: bubblewrap and its modes, or the unsandboxed fallback
    zygote.py   Worker: the grader's side of one pre-warmed zygote (start, hand over, restart, stop)
    session.py  Session: one submission's forked process and the calls to it
    channel.py  the grader's end of a socket: size-capped, non-blocking frames

The code that runs inside the sandbox is `autograder/worker/`; this package only starts and talks to it.
"""

from .launch import sandbox_available, why_unavailable
from .session import Limits, Outcome, Session, SessionDead
from .zygote import Worker

__all__ = ["Limits", "Outcome", "Session", "SessionDead", "Worker", "sandbox_available", "why_unavailable"]
