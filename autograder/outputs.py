"""A batch's outputs, written from its ledgers: CSV, JSON, feedback pages and the printed table.

Rows are read back one at a time, in the order of the submissions' paths, so the same batch always gives
the same files, whether it was graded in one run, resumed after a crash, or graded in shards and merged.
"""

from . import feedback, ledger, report


def rows(items):
    """The full rows that (ledger.Entry, ledger path) items point at, one at a time."""
    for entry, path in items:
        yield ledger.read(path, entry)


def write(items, csv=None, json=None, pages=None):
    """Write the requested outputs for `items` ((ledger.Entry, ledger path), in output order); return the
    table to print (printed last: a closed pipe must not cost the files)."""
    if json:
        report.write_json(rows(items), json)
    if csv:
        report.write_csv(rows(items), csv)
    if pages:
        feedback.write_pages(rows(items), pages)
    return report.table([(e.learner, e.score, e.max_score, e.note) for e, _ in items])
