"""Command line: `python -m autograder {assign,grade,check,gradescope} ...`."""

import argparse
import importlib
import os
import sys

VERBS = {
    "assign": "fill source notebooks from solutions/ and the checks; regenerate release/ and samples/",
    "grade": "grade a batch of submissions in sandboxed workers",
    "check": "check your own notebook and get hints",
    "gradescope": "build a Gradescope autograder zip",
    "merge": "combine the JSON-lines ledgers of sharded grade runs into one set of outputs",
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m autograder")
    verbs = parser.add_subparsers(dest="verb", required=True)
    for verb, help_text in VERBS.items():
        sub = verbs.add_parser(verb, help=help_text)
        if argv and argv[0] == verb:  # import only the verb in use: each one is its own module
            module = importlib.import_module(f"autograder.{verb}")
            sub.description = module.__doc__.split("\n\n")[0]
            module.add_arguments(sub)
            sub.set_defaults(run=module.main)
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped reading (`... | head`): nothing more to say, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the flush at exit is silent too
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
