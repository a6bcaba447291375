"""Length-prefixed JSON frames: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.

Used on both channels: grader <-> zygote (control) and grader <-> one submission's process (session).
The trusted side has its own non-blocking, size-capped reader (`autograder.sandbox.channel`); this module
holds the framing both sides agree on and the worker's blocking reader.
"""

import json
import os

HEADER = 4
MAX_FRAME = 32 << 20  # the trusted side rejects anything bigger as a protocol error
MAX_REPLY = 16 << 20  # the worker replaces a bigger answer with an error, well below MAX_FRAME


def pack(message):
    """One frame for a JSON-able message."""
    data = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return len(data).to_bytes(HEADER, "big") + data


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def read_exact(fd, size):
    """`size` bytes from fd, or None at end of file."""
    chunks, need = [], size
    while need:
        chunk = os.read(fd, min(need, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        need -= len(chunk)
    return b"".join(chunks)


def read_frame(fd, cap=MAX_FRAME):
    """The next message from fd (blocking), or None at end of file. Raises ValueError on a bad frame."""
    header = read_exact(fd, HEADER)
    if header is None:
        return None
    size = int.from_bytes(header, "big")
    if size > cap:
        raise ValueError(f"frame of {size} bytes exceeds {cap}")
    payload = read_exact(fd, size)
    if payload is None:
        return None
    return json.loads(payload.decode("utf-8"))
