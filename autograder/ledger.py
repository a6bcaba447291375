"""The batch's ledger: a JSON-lines file with one finished row per line, appended as each one finishes.

It is what makes a batch resumable, shardable and light on memory. Each row is written with one `write`
on an `O_APPEND` descriptor as soon as its submission is graded, so a crash or `kill -9` loses at most
the rows in flight; `--resume` then skips every submission whose path and content (sha256) already have a
row. The outputs (`--csv`, `--json`, `--feedback`) are written afterwards by reading rows back one at a
time from their offsets, in path order, so the grader never holds the whole batch in memory.
"""

import hashlib
import json
import os
from dataclasses import dataclass

from .report import summary
from .submission import BadSubmission, find


class LedgerError(Exception):
    """The file is not a ledger (not JSON lines of rows); the message says where."""


@dataclass(frozen=True)
class Entry:
    """Where one row sits in a ledger, and what the summary table needs without reading it again."""

    path: str
    offset: int
    learner: str
    score: float
    max_score: float
    note: str


def digest(path, lesson):
    """sha256 of the submission's file, or None if it cannot be read (then it is always graded again)."""
    try:
        with open(find(path, lesson), "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except (BadSubmission, OSError):
        return None


def key(submission, sha256):
    return f"{submission}\0{sha256}"


def append(path, row):
    """Append one row as one line, in one write: a reader never sees half a row from a finished write."""
    data = (json.dumps(row, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def index(path, repair=False):
    """{key: Entry} of the rows in a ledger (a later row for the same key wins).

    A last line without its newline is a row that was being written when the grader died: with `repair`,
    it is cut off so the next row starts on a line of its own; otherwise it is ignored. Any other line that
    is not a row is a LedgerError: the file is not a ledger, and nothing in it may be overwritten.
    """
    entries = {}
    if not os.path.exists(path):
        return entries
    with open(path, "rb") as f:
        offset, number = 0, 0
        for line in f:
            number += 1
            if not line.endswith(b"\n"):
                if repair:
                    os.truncate(path, offset)
                break
            try:
                row = json.loads(line)
                learner, score, max_score, note = summary(row)
                entry = Entry(row["submission"], offset, learner, float(score), float(max_score), note)
                entries[key(row["submission"], row.get("sha256"))] = entry
            except (ValueError, KeyError, TypeError) as exc:
                raise LedgerError(f"{path}, line {number}: not a graded row ({type(exc).__name__})") from None
            offset += len(line)
    return entries


def read(path, entry):
    """The full row an Entry points at."""
    with open(path, "rb") as f:
        f.seek(entry.offset)
        return json.loads(f.readline())
