"""Shared helpers for the project's own suite."""

import importlib
from pathlib import Path

import nbformat
import pytest

from solutions import LESSON_MODULES

ROOT = Path(__file__).resolve().parent.parent
LESSONS = list(LESSON_MODULES)


def reference(lesson):
    return importlib.import_module(f"solutions.{LESSON_MODULES[lesson]}")


def notebook(kind, lesson):
    return nbformat.read(ROOT / kind / lesson / f"{lesson}.ipynb", as_version=4)


@pytest.fixture(params=LESSONS)
def lesson(request):
    return request.param
