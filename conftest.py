"""Settings for every test and doctest collected from the repository root.

pytest-xdist runs two workers on the project's 2-core machines; torch's default of one intra-op
thread per core would put four busy threads on two cores, and small networks then spend most of
their time spinning. One thread per worker is faster for the toy-sized networks of the suite.
torch is the ``gan`` extra: without it, the analytic core's tests still run.
"""

try:
    import torch
except ImportError:  # the analytic core alone (pip install . without the gan extra)
    torch = None
else:
    torch.set_num_threads(1)
