"""Notes on cells that stopped with an error, worded so a learner can find the cell. Pure logic.

The worker reports `cell N: Type: message (line L)`, numbering the code cells it ran. JupyterLab shows no
such number, so each note names the cell by the function it defines or by its first line instead, says
each thing once, and says what to do. The line number is the innermost line of learner code, which may
sit in another cell (a function the cell called); a note says which cell only when that is certain.
"""

import re

REPORT = re.compile(r"^cell (\d+): (.*?)(?: \(line (\d+)\))?$", re.S)
DEFINES = re.compile(r"^(?:async\s+)?def\s+([A-Za-z_]\w*)", re.M)
EXAMPLES = re.compile(r"^with examples\(\s*[\"']([A-Za-z_]\w*)[\"']", re.M)  # notebook_helpers.examples
SYNTAX_PLACE = re.compile(r" ?\(<cell \d+>, line (\d+)\)")
SNIPPET = 50
# Errors the notebook's examples helper (notebook_helpers.py) words for learners: shown as they are.
CALM = ("ExampleFailed",)
LISTED = 3  # cells named in a note that groups several


def cell_notes(reports, cells, tests):
    """Learner-facing notes for the worker's cell reports; `cells` are the sources it ran, `tests` the
    check results (dicts), which say from behaviour which functions are still `NotImplementedError` stubs.
    """
    stubs = [f for f in _unique(t["function"] for t in tests if _is_stub_failure(t)) if f]
    stopped_by_stub, waiting, notes = {}, {}, []
    for report in reports:
        match = REPORT.match(report)
        if not match:
            notes.append(_clean(report))
            continue
        index, text, line = int(match[1]), match[2], match[3] and int(match[3])
        source = cells[index - 1] if 0 < index <= len(cells) else ""
        if _caused_by_stub(text, stubs):
            stopped_by_stub[index] = source
            continue
        names = _waits_for(text)
        if names:
            waiting.setdefault(names, []).append(source)
            continue
        notes.append(_error_note(index, source, text, line, cells))
    notes += [_waiting_note(names, sources) for names, sources in waiting.items()]
    if stopped_by_stub:
        notes.insert(0, _stub_note(stubs, list(stopped_by_stub.values())))
    return _unique(notes)


def cell_label(source):
    """How a learner finds a cell: whose examples it runs, the functions it defines, else its first line."""
    tested = EXAMPLES.findall(source)
    if tested:
        return f"the examples of `{tested[0]}`"
    names = [n for n in DEFINES.findall(source) if not n.startswith("_")]
    if names:
        listed = " and ".join(f"`{n}`" for n in names[:2]) + (" (and more)" if len(names) > 2 else "")
        return f"the cell that defines {listed}"
    for text in source.splitlines():
        text = text.strip()
        if text and not text.startswith("#"):
            return f"the cell that starts `{_snippet(text)}`"
    return "an empty cell"


def _stub_note(stubs, sources):
    one = len(stubs) == 1
    names = [f"`{n}`" for n in stubs]
    names = names[0] if one else ", ".join(names[:-1]) + " and " + names[-1]
    if len(sources) == 1:
        stopped, again = f"{cell_label(sources[0])} stopped early", "run that cell again"
    else:
        stopped, again = (
            f"{len(sources)} cells that use {'it' if one else 'them'} stopped early",
            "run the notebook again",
        )
    where = "in it or in a function it calls" if one else "in them or in functions they call"
    return (
        f"{names} still {'raises' if one else 'raise'} NotImplementedError (a `raise NotImplementedError()` "
        f"stub {where}), so {stopped}. Replace the stub{'' if one else 's'} with your code, then {again}."
    )


def _waiting_note(names, sources):
    listed = " and ".join(f"`{n}`" for n in names)
    one = len(names) == 1
    why = f"{listed} {'has' if one else 'have'} not passed {'its' if one else 'their'} examples yet"
    if len(sources) == 1:
        label = cell_label(sources[0])
        return f"{label[0].upper()}{label[1:]} stopped early because {why}: run it again once they pass."
    shown = "; ".join(cell_label(s) for s in sources[:LISTED]) + ("; ..." if len(sources) > LISTED else "")
    return f"{len(sources)} cells stopped early because {why} ({shown}): run them again once they pass."


def _error_note(index, source, text, line, cells):
    text = _clean(SYNTAX_PLACE.sub(lambda m: f" (line {m[1]})", text))
    text = re.sub(r":$", "", text)  # an empty message: "NotImplementedError: "
    label = "your file" if len(cells) == 1 else cell_label(source)
    label = label[0].upper() + label[1:]
    if text.startswith(("the code ", "the process ")):  # the learner's process died while this cell ran
        return f"{label} stopped: {text}."
    kind, _, message = text.partition(": ")
    if kind in CALM and message:  # already one calm line that says what to do; its line is the helper's
        return f"{label} stopped: {message}"
    where = _where(index, line, cells) if line else ""
    end = "" if not where and text.endswith((".", "!", "?")) else "."
    return f"{label} stopped with {text}{where}{end} Run it to see the full error, fix it, then run it again."


def _where(index, line, cells):
    """Where line `line` is: in cell `index` itself unless a function it calls, defined elsewhere, could hold
    it (the worker reports the innermost line of learner code, not its cell)."""
    source = cells[index - 1] if 0 < index <= len(cells) else ""
    here = line <= len(source.splitlines())
    elsewhere = []
    for other, text in enumerate(cells, 1):
        if other == index or line > len(text.splitlines()):
            continue
        if any(re.search(rf"\b{re.escape(name)}\s*\(", source) for name in DEFINES.findall(text)):
            elsewhere.append(text)
    if here and not elsewhere:
        return f" (line {line})"
    if not here and len(elsewhere) == 1:
        return f" (line {line} of {cell_label(elsewhere[0])})"
    return ""


def _waits_for(text):
    """The functions a calm `needs(...)` line says have not passed their examples, else ()."""
    kind, _, message = text.partition(": ")
    if kind not in CALM or "not passed" not in message:
        return ()
    return tuple(dict.fromkeys(re.findall(r"`([A-Za-z_]\w*)`", message)))


def _is_stub_failure(test):
    return test["status"] != "passed" and "raised NotImplementedError" in test["message"]


def _caused_by_stub(text, stubs):
    """A cell stopped only because a function it uses still raises NotImplementedError: a bare
    NotImplementedError, or a calm line from the examples helper that names only such functions."""
    if not stubs:
        return False
    if text.strip() in ("NotImplementedError", "NotImplementedError:"):
        return True
    kind, _, message = text.partition(": ")
    named = set(re.findall(r"`([A-Za-z_]\w*)`", message))
    waiting = "not written yet" in message or "not passed" in message
    return kind in CALM and waiting and bool(named) and named <= set(stubs)


def _snippet(text):
    text = _clean(text)
    return text if len(text) <= SNIPPET else text[: SNIPPET - 3].rstrip() + "..."


def _clean(text):
    """Learner text, printable and on one line: it reaches a terminal and a web page."""
    return "".join(ch if ch.isprintable() else " " for ch in text.replace("\n", " ")).strip()


def _unique(items):
    return list(dict.fromkeys(items))
