"""The grader's end of a worker socket: length-prefixed JSON frames, size-capped, never blocking past a
deadline. Whatever arrives is parsed as JSON only; anything else is a ProtocolError."""

import json
import select
import socket
import time

from ..worker import wire


class ProtocolError(Exception):
    """The other end broke the framing or sent something that is not JSON."""


def parse(payload):
    try:
        return json.loads(payload.decode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - RecursionError, ValueError (huge ints), UnicodeDecodeError...
        raise ProtocolError(f"unreadable frame ({type(exc).__name__})") from None


class Channel:
    """Our end of a stream socket carrying length-prefixed JSON frames; never blocks past a deadline."""

    def __init__(self, sock, cap=wire.MAX_FRAME):
        self.sock = sock
        self.sock.setblocking(False)
        self.cap = cap
        self.buf = bytearray()
        self.eof = False

    def fileno(self):
        return self.sock.fileno()

    def close(self):
        self.sock.close()

    def pump(self, budget=4 << 20):
        """Read what is available (at most `budget` bytes); raise ProtocolError on an oversized frame."""
        while budget > 0 and not self.eof:
            try:
                chunk = self.sock.recv(min(budget, 1 << 20))
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                chunk = b""
            if not chunk:
                self.eof = True
                break
            self.buf += chunk
            budget -= len(chunk)
            if len(self.buf) >= wire.HEADER and int.from_bytes(self.buf[: wire.HEADER], "big") > self.cap:
                raise ProtocolError("a frame larger than the cap")
        if len(self.buf) > 2 * (self.cap + wire.HEADER):
            raise ProtocolError("too much unread data")

    def frame(self):
        """The next complete message, or None."""
        if len(self.buf) < wire.HEADER:
            return None
        size = int.from_bytes(self.buf[: wire.HEADER], "big")
        if size > self.cap:
            raise ProtocolError("a frame larger than the cap")
        if len(self.buf) < wire.HEADER + size:
            return None
        payload = bytes(self.buf[wire.HEADER : wire.HEADER + size])
        del self.buf[: wire.HEADER + size]
        return parse(payload)

    def send(self, data, deadline, fds=()):
        """Send all of `data` before `deadline`; reads incoming data meanwhile so neither side can jam.
        Returns False if the deadline passed first."""
        view = memoryview(data)
        if fds:
            sent = socket.send_fds(self.sock, [view[: 1 << 16]], list(fds))
            view = view[sent:]
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            readable, writable, _ = select.select([self.sock], [self.sock], [], remaining)
            if readable:
                self.pump()
            if writable:
                try:
                    view = view[self.sock.send(view[: 1 << 20]) :]
                except (BlockingIOError, InterruptedError):
                    pass
        return True
