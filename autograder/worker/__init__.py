"""Code that runs next to learner code.

This folder is the only part of the project a sandboxed worker can see (it is bind-mounted read-only), so
it must hold nothing secret: no reference answers, no checks. It holds the value codec, the library of
named test functions that checks pass as arguments, and the worker's main loop.
"""
