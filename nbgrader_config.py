"""nbgrader settings: the course root is the folder holding this file (the repository root).

`nbgrader autograde` runs learner code in the project's sandbox, not in a kernel beside the hidden tests:
`SandboxedExecute` (autograder/nbgrader_execute.py) takes the place of nbgrader's `Execute` step and
judges the checks outside the sandbox. Without a working sandbox (bubblewrap), autograde stops.
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from autograder.nbgrader_execute import SandboxedExecute, refuse_without_sandbox

c = get_config()  # noqa: F821 - nbgrader provides get_config when it loads this file
refuse_without_sandbox()  # `nbgrader autograde` stops here, before anything is graded, without bubblewrap

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "backprop-from-scratch"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# nbgrader's own list (nbgrader/converters/autograde.py), with SandboxedExecute in place of Execute.
c.Autograde.autograde_preprocessors = [
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# Execute is still what `nbgrader validate` uses; training cells take well under a second.
c.Execute.timeout = 60
