"""Grading for Backprop From Scratch.

Verbs (`python -m autograder VERB`): `assign` builds the source and release notebooks, `grade` grades a
batch in sandboxed workers, `check` is the self-learner's local check, `gradescope` builds the Gradescope
zip. The hidden checks live in `autograder.checks`; `make catalogue` reports what they catch.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the course repository (source/, release/, samples/)
