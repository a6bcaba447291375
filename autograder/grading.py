"""Run a lesson's checks against a learner and score them. Pure logic: no processes, no files."""

from dataclasses import asdict, dataclass

from .checks import Fail
from .sandbox import SessionDead


@dataclass
class TestResult:
    __test__ = False  # not a pytest test class

    name: str
    function: str
    title: str
    score: float
    max_score: float
    status: str  # "passed" or "failed"
    message: str = ""

    def to_dict(self):
        return asdict(self)


def run_checks(checks, learner):
    """Run each check once, in order. After the learner's process dies, every remaining check scores 0."""
    results, dead = [], None
    for c in checks:
        if dead is not None:
            results.append(_failed(c, f"Not run: {dead}"))
            continue
        try:
            c.run(learner)
        except Fail as exc:
            results.append(_failed(c, str(exc)))
        except SessionDead as exc:
            dead = str(exc)
            results.append(_failed(c, f"Stopped: {dead}"))
        except Exception as exc:  # noqa: BLE001 - a malformed answer must fail one check, not the batch
            results.append(_failed(c, f"Could not grade this answer ({type(exc).__name__}: {exc})."))
        else:
            results.append(TestResult(c.name, c.function, c.title, c.points, c.points, "passed"))
    return results


def not_run(checks, reason):
    """Every check failed for one reason (unreadable submission, worker could not start)."""
    return [_failed(c, reason) for c in checks]


def _failed(c, message):
    return TestResult(c.name, c.function, c.title, 0.0, c.points, "failed", message)
