"""Batches that fit a real course: streamed to a ledger, resumable after kill -9, sharded and merged, and
deterministic (issue 13, part 3). Everything goes through the real command line."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSON = "01-functions"
FAST = (ROOT / "solutions" / "functions.py").read_text()
SLOW = FAST + "\nimport time\ntime.sleep(0.4)\n"


def run(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "autograder", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        **kwargs,
    )


def batch(folder, count, code=FAST):
    folder.mkdir()
    for i in range(count):
        (folder / f"learner{i:02d}.py").write_text(code.replace("return x * x", f"return x * x  # {i}"))
    return folder


def lines(path):
    return Path(path).read_text().splitlines()


def test_shards_merged_equal_one_machine(tmp_path):
    submitted = batch(tmp_path / "flat", 7)
    one = run("grade", LESSON, submitted, "--csv", tmp_path / "one.csv", "--json", tmp_path / "one.json")
    assert one.returncode == 0, one.stderr
    parts = []
    for k in (1, 2, 3):
        part = tmp_path / f"part{k}.jsonl"
        done = run("grade", LESSON, submitted, "--shard", f"{k}/3", "--jsonl", part)
        assert done.returncode == 0, done.stderr
        parts.append(part)
    assert [len(lines(p)) for p in parts] == [3, 2, 2]  # every 3rd in path order, from the K-th
    merged = run("merge", *parts, "--csv", tmp_path / "m.csv", "--json", tmp_path / "m.json")
    assert merged.returncode == 0, merged.stderr
    assert (tmp_path / "m.csv").read_text() == (tmp_path / "one.csv").read_text()
    assert (tmp_path / "m.json").read_text() == (tmp_path / "one.json").read_text()
    assert merged.stdout == one.stdout  # the same table


def test_grading_twice_gives_the_same_files(tmp_path):
    submitted = batch(tmp_path / "flat", 5)
    outputs = []
    for attempt in ("a", "b"):
        done = run("grade", LESSON, submitted, "--jobs", "2", "--json", tmp_path / f"{attempt}.json")
        assert done.returncode == 0, done.stderr
        outputs.append((tmp_path / f"{attempt}.json").read_text())
    assert outputs[0] == outputs[1]
    learners = [row["learner"] for row in json.loads(outputs[0])]
    assert learners == sorted(learners)


def test_kill_9_then_resume_grades_each_submission_once_more_at_most(tmp_path):
    count = 8
    submitted = batch(tmp_path / "flat", count, code=SLOW)
    ledger = tmp_path / "rows.jsonl"
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            LESSON,
            str(submitted),
            "--jobs",
            "1",
            "--jsonl",
            str(ledger),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not ledger.exists() or len(lines(ledger)) < 3):
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    finished = ledger.read_bytes()
    assert 3 <= len(finished.splitlines()) < count
    with open(ledger, "ab") as f:  # what a row being written at the kill could leave behind
        f.write(b'{"submission": "half a ro')
    done = run("grade", LESSON, submitted, "--jsonl", ledger, "--resume", "--csv", tmp_path / "all.csv")
    assert done.returncode == 0, done.stderr
    after = ledger.read_bytes()
    assert after.startswith(finished)  # no finished row lost or rewritten
    assert len(after.splitlines()) == count  # the rest graded exactly once; the half row cut off
    assert len(lines(tmp_path / "all.csv")) == count + 1  # the outputs cover every submission
    again = run("grade", LESSON, submitted, "--jsonl", ledger, "--resume")
    assert again.returncode == 0 and ledger.read_bytes() == after  # nothing left to grade
    (submitted / "learner00.py").write_text(FAST + "\n# changed\n")
    changed = run("grade", LESSON, submitted, "--jsonl", ledger, "--resume")
    assert changed.returncode == 0 and len(lines(ledger)) == count + 1  # new content, new row


@pytest.mark.parametrize("bad", ["0/3", "4/3", "1-3", "x/y", "2"])
def test_a_malformed_shard_is_an_error(tmp_path, bad):
    submitted = batch(tmp_path / "flat", 2)
    done = run("grade", LESSON, submitted, "--shard", bad, "--csv", tmp_path / "g.csv")
    assert done.returncode == 2 and "K/N" in done.stderr
    assert not (tmp_path / "g.csv").exists()


def test_resume_refuses_a_file_that_is_not_a_ledger_and_leaves_it_alone(tmp_path):
    submitted = batch(tmp_path / "flat", 2)
    notes = tmp_path / "notes.jsonl"
    notes.write_text("my notes\n{}\n")
    done = run("grade", LESSON, submitted, "--jsonl", notes, "--resume", "--csv", tmp_path / "g.csv")
    assert done.returncode == 2 and "cannot resume" in done.stderr
    assert notes.read_text() == "my notes\n{}\n" and not (tmp_path / "g.csv").exists()
    assert run("grade", LESSON, submitted, "--resume").returncode == 2  # --resume needs --jsonl
    appended = run("grade", LESSON, submitted, "--jsonl", notes)  # nor is it appended to
    assert appended.returncode == 2 and notes.read_text() == "my notes\n{}\n"


def test_merge_refuses_what_is_not_a_ledger(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("[1, 2]\n")
    done = run("merge", bad, "--csv", tmp_path / "m.csv")
    assert done.returncode == 2 and not (tmp_path / "m.csv").exists()


def test_grade_batch_returns_rows_in_task_order_across_lessons():
    """One learner's folder graded for two lessons: the same path, two rows, each in its task's place."""
    from autograder.grade import grade_batch
    from autograder.sandbox import Limits

    ada = ROOT / "samples" / "submitted" / "ada"
    tasks = [("02-numeric-diff", ada), ("01-functions", ada), ("02-numeric-diff", ada / "02-numeric-diff")]
    rows = grade_batch(tasks, Limits(), jobs=2)
    assert [(r["lesson"], r["submission"]) for r in rows] == [(lesson, str(path)) for lesson, path in tasks]
