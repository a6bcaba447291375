"""Readable reports of check results, for terminals, nbgrader cells and Gradescope. Pure functions."""

from .sanitize import clean, csv_cell, name


def format_results(tests):
    """One line per check (test dicts, as in a row's "tests"), with the message under each failure."""
    lines = []
    for t in tests:
        mark = "PASS" if t["status"] == "passed" else "FAIL"
        lines.append(f"[{mark}] {t['function']}: {t['title']} ({_pts(t['score'])}/{_pts(t['max_score'])})")
        if t["message"]:
            lines.extend(f"       {line}" for line in t["message"].splitlines())
    score, total = sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)
    lines.append(f"Score: {_pts(score)}/{_pts(total)}")
    return "\n".join(lines)


def _pts(value):
    return f"{value:g}"


# --- batch rows: one per submission ----------------------------------------------------------------------


def submission_name(path):
    """How a row names its submission: the path as given, cleaned (it holds names a learner chose)."""
    return clean(str(path), 500, newlines=False)


def row(path, learner, lesson):
    """An empty row. The path and the learner id come from file names a learner chose: cleaned here."""
    return {
        "submission": submission_name(path),
        "learner": name(learner),
        "lesson": lesson,
        "score": 0.0,
        "max_score": 0.0,
        "tests": [],
        "error": None,
        "notes": [],  # cells that stopped with an error, for the learner (see notes.py)
        "plots": {},
    }


def finish(row, results, error):
    """Fill a row's scores from check results; `error` says why nothing could run (or None)."""
    row["tests"] = [
        {
            "name": r.name,
            "function": r.function,
            "title": r.title,
            "score": r.score,
            "max_score": r.max_score,
            "status": r.status,
            "message": r.message,
        }
        for r in results
    ]
    row["score"] = float(sum(r.score for r in results))
    row["max_score"] = float(sum(r.max_score for r in results))
    row["error"] = error
    return row


JSON_KEYS = ("submission", "learner", "lesson", "score", "max_score", "tests", "error")
TEST_KEYS = ("name", "function", "score", "max_score", "status", "message")


def to_json(rows):
    """The --json document: a list with one object per submission."""
    return [
        {**{k: r[k] for k in JSON_KEYS}, "tests": [{k: t[k] for k in TEST_KEYS} for t in r["tests"]]}
        for r in rows
    ]


def write_json(rows, path):
    """The --json document, written one row at a time (rows may be a generator)."""
    import json

    with open(path, "w", encoding="utf-8") as f:
        f.write("[")
        for i, r in enumerate(rows):
            f.write(",\n" if i else "\n")
            f.write(json.dumps(to_json([r])[0], indent=2))
        f.write("\n]\n")


CSV_KEYS = (
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
)


def csv_rows(rows):
    """Grades in `nbgrader export`'s columns, so the file drops into the same spreadsheets (a generator)."""
    return (
        {
            "assignment": r["lesson"],
            "duedate": "",
            "timestamp": "",
            "student_id": csv_cell(r["learner"]),
            "last_name": "",
            "first_name": "",
            "email": "",
            "raw_score": r["score"],
            "late_submission_penalty": 0.0,
            "score": r["score"],
            "max_score": r["max_score"],
        }
        for r in rows
    )


def write_csv(rows, path):
    """Write the CSV one row at a time: a row that cannot be written is reported and costs no other."""
    import csv
    import sys

    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_KEYS)
        writer.writeheader()
        for line in csv_rows(rows):
            try:
                writer.writerow(line)
            except (ValueError, UnicodeError, csv.Error) as exc:
                print(f"could not write the CSV row of {line['student_id']}: {exc}", file=sys.stderr)


def summary(row):
    """(learner, score, max_score, note): what the table shows of a row."""
    failed = sum(t["status"] != "passed" for t in row["tests"])
    note = row["error"] or (f"{failed} check(s) failed" if failed else "all checks passed")
    return row["learner"], row["score"], row["max_score"], note


def table(summaries):
    """The summary printed after a batch: one line per submission, failures counted, errors named."""
    width = max([len(learner) for learner, *_ in summaries] + [7])
    lines = [f"{'learner':<{width}}  {'score':>9}  notes"]
    for learner, score, max_score, note in summaries:
        lines.append(f"{learner:<{width}}  {_pts(score):>4}/{_pts(max_score):<4}  {note[:90]}")
    total = sum(s[1] for s in summaries)
    possible = sum(s[2] for s in summaries)
    count = len(summaries)
    mean = total / count if count else 0.0
    lines.append(f"{count} submission(s), mean score {mean:.2f} of {possible / max(count, 1):g}")
    return "\n".join(lines)
