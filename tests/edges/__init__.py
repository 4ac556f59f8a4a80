"""The edge-case suite: the accuracy contract of docs/methods.md, tested at the edges of its ranges.

Each module takes one class of inputs on which the toolkit once returned a wrong number without
a word, and checks, with parameters drawn at the edges of the documented ranges, that every
value is within the stated accuracy of an independent oracle (mpmath at 50 digits, a second
closed form, a bound) or that the documented error is raised. The estimators from samples and
the saved training runs have their edge cases next to their other tests
(``tests/divergences/test_empirical*.py``, ``tests/gan1d/training/test_run_files.py``).
"""
