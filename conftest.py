"""Settings for every test, doctest and notebook collected from the repository root.

pytest-xdist runs two workers on the project's 2-core machines; torch's default of one intra-op
thread per core would put four busy threads on two cores, and small networks then spend most of
their time spinning. One thread per worker is faster for the toy-sized networks of the suite.
"""

import torch

torch.set_num_threads(1)
