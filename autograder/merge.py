"""`python -m autograder merge PART.jsonl... --csv FILE --json FILE [--feedback DIR]`: combine shards.

Each shard (`grade ... --shard K/N --jsonl PART.jsonl`) graded a disjoint share of the batch; merging their
ledgers writes exactly the files one machine grading the whole batch would have written: the same rows, in
the same path order.
"""

import sys

from . import ledger, outputs


def main(args):
    entries = []
    for part in args.parts:
        try:
            index = ledger.index(part)
        except (ledger.LedgerError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        entries += [(entry, part) for entry in index.values()]
    latest = {}  # one row per submission path: a later part (or line) wins, as in one ledger
    for entry, part in entries:
        latest[entry.path] = (entry, part)
    if not latest:
        print("error: no graded rows in " + " ".join(args.parts), file=sys.stderr)
        return 2
    ordered = sorted(latest.values(), key=lambda item: item[0].path)
    print(outputs.write(ordered, args.csv, args.json, args.feedback))
    return 0


def add_arguments(parser):
    parser.add_argument("parts", nargs="+", metavar="PART.jsonl", help="ledgers written by grade --jsonl")
    parser.add_argument("--json", metavar="FILE", help="write one JSON object per submission to FILE")
    parser.add_argument("--csv", metavar="FILE", help="write grades in nbgrader's export columns to FILE")
    parser.add_argument("--feedback", metavar="DIR", help="write one HTML feedback page per learner to DIR")
