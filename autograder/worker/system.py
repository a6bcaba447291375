"""Linux plumbing for the worker: prctl, rlimits, /proc readings, SysV IPC clean-up, scratch wiping."""

import ctypes
import os
import resource
import shutil

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
IPC_RMID = 0
NOBODY = 65534

_libc = ctypes.CDLL(None, use_errno=True)


def prctl(option, value, arg3=0):
    ulong = ctypes.c_ulong
    if _libc.prctl(ctypes.c_int(option), ulong(value), ulong(arg3), ulong(0), ulong(0)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


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


def pids():
    try:
        return [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []


def reap_nowait():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def sysv_shm_bytes():
    try:
        with open("/proc/sysvipc/shm") as f:
            rows = f.read().splitlines()[1:]
        return sum(int(row.split()[14]) for row in rows if len(row.split()) > 14)
    except (OSError, ValueError):
        return 0


def remove_sysv_ipc():
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


def scratch_inodes(path):
    """Files and directories in use on the filesystem holding `path` (the sandbox's own tmpfs)."""
    try:
        st = os.statvfs(path)
    except OSError:
        return 0
    return st.f_files - st.f_ffree


def open_up(path):
    """Make every directory under `path` searchable again (learner code may have chmod-ed some to 000),
    never following a link: a link to a root-owned directory must not make us chmod that directory."""
    for root, dirs, _files in os.walk(path):
        for name in dirs:
            try:  # O_NOFOLLOW | O_DIRECTORY refuses a link; /proc/self/fd/N is then that very directory
                fd = os.open(os.path.join(root, name), os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                os.chmod(f"/proc/self/fd/{fd}", 0o700)
            except OSError:
                pass
            finally:
                os.close(fd)


def wipe(path, keep_root):
    """Delete everything under `path` (and `path` itself unless keep_root). True if nothing is left."""
    open_up(path)
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


def set_limit(resource_id, value):
    try:
        _soft, hard = resource.getrlimit(resource_id)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(resource_id, (value, value))
    except (ValueError, OSError):
        pass


def process_state():
    """This process's limits and scheduling, to notice if anything changed them (see Zygote.intact)."""
    limits = tuple(
        (name, resource.getrlimit(getattr(resource, name)))
        for name in sorted(dir(resource))
        if name.startswith("RLIMIT_")
    )
    return (
        limits,
        frozenset(os.sched_getaffinity(0)),
        os.getpriority(os.PRIO_PROCESS, 0),
        os.sched_getscheduler(0),
        os.sched_getparam(0).sched_priority,
    )
