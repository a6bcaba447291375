"""nbgrader settings: the course root is the folder holding this file (the repository root)."""

import os

c = get_config()  # noqa: F821 - nbgrader provides get_config when it loads this file

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "backprop-from-scratch"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Training cells take well under a second; a minute is generous, and a runaway loop still ends.
c.Execute.timeout = 60
