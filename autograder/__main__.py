"""Command line: `python -m autograder {assign,grade,check,gradescope,catalogue} ...`."""

import argparse
import importlib
import sys

VERBS = {
    "assign": "fill source notebooks from solutions/ and the checks, then regenerate release/",
    "grade": "grade a batch of submissions in sandboxed workers",
    "check": "check your own notebook and get hints",
    "gradescope": "build a Gradescope autograder zip",
    "catalogue": "report which correct styles pass and which mistakes are caught",
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)
    for verb, help_text in VERBS.items():
        module = importlib.import_module(f"autograder.{verb}")
        sub = verbs.add_parser(verb, help=help_text, description=module.__doc__.splitlines()[0])
        module.add_arguments(sub)
        sub.set_defaults(run=module.main)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
