# Backprop From Scratch: `make demo` and `make test` work on a fresh machine (they run `make setup` first).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup test lint demo release catalogue benchmark clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(VENV)/bin/jupyter labextension list 2>&1 | grep -q "@jupyter/nbgrader.*enabled" \
		|| { echo "nbgrader's JupyterLab extension is not enabled"; exit 1; }
	@command -v bwrap >/dev/null 2>&1 || .ci/install-bubblewrap \
		|| echo "WARNING: bubblewrap is not installed; the grader will run learner code UNSANDBOXED."
	@[ -x /usr/bin/chromium ] || .ci/install-chromium \
		|| echo "WARNING: chromium is not installed; the browser test (tests/test_browser.py) will skip."
	touch $(STAMP)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup lint
	$(PY) -m pytest -n 2 --dist loadfile  # one file per worker: module fixtures (the nbgrader course) build once

release: setup
	$(PY) -m autograder assign

demo: setup
	$(PY) -m autograder.demo

catalogue: setup
	$(PY) tests/catalogue.py

benchmark: setup
	$(PY) benchmarks/grade_batch.py

clean:
	rm -rf $(VENV) demo gradebook.db
