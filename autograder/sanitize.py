"""Learner-controlled text, made safe once, where it enters the grader's process. Pure functions.

File names, exception messages, printed output and function names come from learners. Unchecked, a lone
surrogate crashes a UTF-8 writer, an escape sequence repaints the instructor's terminal ("bob 0/6" over
"attacker 6/6") or sets the clipboard, a 251-character name overflows a file name, and `=HYPERLINK(...)`
runs as a spreadsheet formula. So every such string passes `clean` on the way in: encodable, visible,
bounded. Writers then only add what their format needs (`csv_cell`, `file_stem`).
"""

import hashlib
import re

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidirectional overrides, which
# can reorder or hide what a terminal shows; newline and tab stay (messages are multi-line).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_NAME = 80


def clean(text, limit=1000, newlines=True):
    """`text` as valid, visible, bounded text: lone surrogates become U+FFFD, control characters become
    visible escapes (ESC shows as \\x1b), and anything past `limit` characters is cut with "..."."""
    text = str(text).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if not newlines:
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    text = _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else "\ufffd", text)
    return text if len(text) <= limit else text[: max(0, limit - 3)] + "..."


def name(text):
    """A learner id or file name: one visible line of at most MAX_NAME characters."""
    return clean(text, MAX_NAME, newlines=False)


def csv_cell(text):
    """A CSV cell a spreadsheet shows as text, never evaluates: a leading = + - @ gets a quote first."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def file_stem(learner, taken):
    """A file name for `learner`'s page: safe characters only, bounded, and unique within `taken` (a set
    this call adds to), so `john~smith` never overwrites `john_smith`."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", learner)[:MAX_NAME].lstrip(".") or "learner"
    if stem != learner or stem.lower() in taken:
        stem = f"{stem[: MAX_NAME - 9]}-{hashlib.sha256(learner.encode('utf-8', 'replace')).hexdigest()[:8]}"
    while stem.lower() in taken:
        stem += "_"
    taken.add(stem.lower())
    return stem
