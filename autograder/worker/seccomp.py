"""A seccomp filter for the learner's process: it may change its own limits and scheduling, nobody else's.

Inside the sandbox the learner's process and the zygote share a uid, so without this filter learner code
could `prlimit(1, RLIMIT_NPROC, (1, 1))` the zygote (the next submission then cannot fork) or renice,
re-pin or re-schedule it for every later submission. The filter lets each of these system calls through
only when it targets the calling process (pid 0, or the learner process's own pid) and answers EPERM
otherwise:

    prlimit64(pid, ...)                     setpriority(PRIO_PROCESS, who, ...)
    sched_setaffinity / sched_setparam /    ioprio_set(IOPRIO_WHO_PROCESS, who, ...)
    sched_setscheduler / sched_setattr(pid, ...)

Process groups and users as targets are refused outright: the learner's process is in the zygote's group.
Everything else is allowed: this is not a general-purpose sandbox, bubblewrap is.
"""

import ctypes
import os
import platform

from .system import prctl

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_EPERM = 0x00050000 | 1
LD_W_ABS, JEQ_K, JGE_K, RET_K = 0x20, 0x15, 0x35, 0x06
X32_BIT = 0x40000000
NR, ARCH, ARGS = 0, 4, 16  # offsets in struct seccomp_data (arguments are 8 bytes; the low word first)

# arch -> (AUDIT_ARCH value, {syscall: (number, required value of argument 0 or None, index of the pid)})
TABLES = {
    "x86_64": (
        0xC000003E,
        {
            "prlimit64": (302, None, 0),
            "sched_setaffinity": (203, None, 0),
            "sched_setparam": (142, None, 0),
            "sched_setscheduler": (144, None, 0),
            "sched_setattr": (314, None, 0),
            "setpriority": (141, 0, 1),  # which must be PRIO_PROCESS
            "ioprio_set": (251, 1, 1),  # which must be IOPRIO_WHO_PROCESS
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "prlimit64": (261, None, 0),
            "sched_setaffinity": (122, None, 0),
            "sched_setparam": (118, None, 0),
            "sched_setscheduler": (119, None, 0),
            "sched_setattr": (274, None, 0),
            "setpriority": (140, 0, 1),
            "ioprio_set": (30, 1, 1),
        },
    ),
}


class SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def program(arch, own_pid):
    """The filter as (code, jt, jf, k) instructions for `arch`, allowing `own_pid` and 0 as targets."""
    audit_arch, table = TABLES[arch]
    # x32 system calls share x86_64's AUDIT_ARCH with numbers from 0x40000000 up: refuse them all.
    body = [(LD_W_ABS, 0, 0, NR), (JGE_K, 0, 1, X32_BIT), (RET_K, 0, 0, RET_EPERM)]
    for number, which, pid_arg in table.values():
        block = []
        if which is not None:  # which != required -> EPERM (the last instruction of the block)
            block += [(LD_W_ABS, 0, 0, ARGS + 8 * 0), ("which", which)]
        block += [
            (LD_W_ABS, 0, 0, ARGS + 8 * pid_arg),
            ("allow_if", 0),
            ("allow_if", own_pid),
            (RET_K, 0, 0, RET_EPERM),
        ]
        # Resolve the block's jumps: "allow_if" jumps to a RET_ALLOW just after the block.
        resolved, size = [], len(block) + 1  # + the RET_ALLOW that ends each block
        for i, ins in enumerate(block):
            to_eperm, to_allow = len(block) - 1 - i - 1, len(block) - 1 - i
            if ins[0] == "which":
                resolved.append((JEQ_K, 0, to_eperm, ins[1]))
            elif ins[0] == "allow_if":
                resolved.append((JEQ_K, to_allow, 0, ins[1]))
            else:
                resolved.append(ins)
        resolved.append((RET_K, 0, 0, RET_ALLOW))
        # Not this system call: skip the block (the accumulator still holds the number).
        body += [(JEQ_K, 0, size, number), *resolved]
    body.append((RET_K, 0, 0, RET_ALLOW))
    # A call through another architecture's entry point (32-bit int 0x80): its numbers mean other calls.
    head = [(LD_W_ABS, 0, 0, ARCH), (JEQ_K, 1, 0, audit_arch), (RET_K, 0, 0, RET_EPERM)]
    return head + body


def install():
    """Install the filter in this process (inherited by every process it starts). Returns False on an
    architecture the table does not know, True once installed; raises OSError if the kernel refuses."""
    arch = platform.machine()
    if arch not in TABLES:
        return False
    instructions = program(arch, os.getpid())
    filters = (SockFilter * len(instructions))(*[SockFilter(*ins) for ins in instructions])
    prog = SockFprog(len(instructions), filters)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog))
    return True
