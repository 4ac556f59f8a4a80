"""The lecture's main job, end to end: ``python -m gan1d lecture --out out`` (``make demo``).

:func:`run` writes the figures of nine parts and ``report.md``:

* part 1, the analytic core: divergences against theta and the KL fits (:mod:`~gan1d.lecture.analytic`);
* parts 2 and 3, trained critics and discriminators against the closed forms
  (:mod:`~gan1d.lecture.critics`);
* part 4, an MLP generator on the ring, filmed (:mod:`~gan1d.lecture.ring`);
* part 5, the parallel-lines generator with each loss (:mod:`~gan1d.lecture.parallel`);
* parts 6 and 7, the f-GANs: trained critics against the exact f-divergences, and Gaussian fits
  against the exact minimisers (:mod:`~gan1d.lecture.fgan`);
* part 8, the Dirac-GAN: vector fields, spectra, and the measured field against the analytic one
  (:mod:`~gan1d.lecture.dirac`);
* part 9, the mode-collapse table (:mod:`~gan1d.lecture.mode_collapse`), whose cells train in
  worker processes while the other parts run.

The sizes are in :mod:`~gan1d.lecture.settings` (:data:`FULL` for the lecture, :data:`QUICK` for
CI). No library module imports this package; notebooks and benchmarks may.
"""

from .report import run
from .settings import FULL, LEAKY, QUICK, RING_NET, TWO_MODES, Setting

__all__ = ["FULL", "LEAKY", "QUICK", "RING_NET", "TWO_MODES", "Setting", "run"]
