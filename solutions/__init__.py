"""Reference implementations, one module per lesson.

These modules are the single source of truth for every graded function: `python -m autograder assign`
copies each function into its lesson's source notebook (as an nbgrader solution cell), and the hidden
checks compare learners' answers with what these functions return.
"""

LESSON_MODULES = {
    "01-functions": "functions",
    "02-numeric-diff": "numeric_diff",
    "03-partial-derivatives": "partial_derivatives",
    "04-chain-rule": "chain_rule",
    "05-gradient-descent": "gradient_descent",
    "06-backprop": "backprop",
    "07-layers": "layers",
    "08-activations": "activations",
    "09-network": "network",
    "10-autodiff": "autodiff",
}
