"""Command line: ``python -m gan1d lecture --out out [--quick] [--seed 0]`` and
``python -m gan1d reproduce pacgan --out out/pacgan [--steps N] [--workers N | --scheduler ADDRESS]``."""

import argparse
import contextlib
from pathlib import Path

from . import lecture


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m gan1d", description="Small GANs and WGANs on the lecture's toys.")
    sub = parser.add_subparsers(dest="command", required=True)
    lec = sub.add_parser("lecture", help="run the whole lecture end to end: figures, animation and out/report.md")
    lec.add_argument("--out", default="out", help="output folder (default: out)")
    lec.add_argument("--quick", action="store_true", help="small sizes (about a minute; used by the tests)")
    lec.add_argument("--seed", type=int, default=0, help="seed of every random stream (default: 0)")
    lec.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default: 1)")
    lec.add_argument(
        "--workers", type=int, default=None, help="processes for the mode-collapse table (default: one per core)"
    )
    lec.add_argument(
        "--cells", default=None, metavar="DIR",
        help="save the mode-collapse cells in DIR as they finish, and read back those saved there before for the "
        "same arguments instead of training them (default: train every cell)",
    )  # fmt: skip
    _reproduce_parser(sub)
    cmp = sub.add_parser("compare", help="one table of the rows of several reproductions: the setting decides too")
    cmp.add_argument("runs", nargs="+", metavar="PROTOCOL=FOLDER", help="e.g. pacgan=out/pacgan veegan=out/veegan")
    cmp.add_argument("--out", default=None, help="write the table to this file (default: print it)")
    args = parser.parse_args(argv)
    if args.command == "reproduce":
        _reproduce(parser, args)
    if args.command == "compare":
        _compare(parser, args)
    if args.command == "lecture":
        if args.seed < 0 or args.threads < 1 or (args.workers is not None and args.workers < 0):
            parser.error(
                f"--seed must be >= 0, --threads >= 1 and --workers >= 0, got {args.seed}, {args.threads} and "
                f"{args.workers}"
            )
        path = lecture.run(args.out, quick=args.quick, seed=args.seed, threads=args.threads, workers=args.workers,
                           cells=args.cells)  # fmt: skip
        print(f"wrote {path} and the figures beside it")


def _reproduce_parser(sub):
    from .protocols import PROTOCOLS

    rep = sub.add_parser(
        "reproduce",
        help="regenerate a published mode-collapse table beside the paper's (a long job: it resumes from its cells)",
    )
    rep.add_argument("protocol", choices=sorted(PROTOCOLS), help="the protocol (gan1d.protocols.PROTOCOLS)")
    rep.add_argument("--out", default=None, help="output folder (default: out/<protocol>)")
    rep.add_argument("--steps", type=int, default=None, help="generator steps per run (default: the paper's)")
    rep.add_argument("--rows", nargs="+", default=None, help="rows of the table to run (default: all)")
    rep.add_argument("--targets", nargs="+", default=None, help="targets to run (default: all)")
    rep.add_argument("--trials", type=int, default=None, help="runs per row (default: the paper's)")
    rep.add_argument("--checkpoints", type=int, default=6, help="about how many times to score along training")
    rep.add_argument("--workers", type=int, default=None, help="local processes (default: one per core; 0: here)")
    rep.add_argument("--scheduler", default=None, help="a Dask scheduler's address: run the cells on that cluster")


def _reproduce(parser, args):
    from .protocols import reproduce

    for name in ("steps", "trials", "checkpoints"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name} must be >= 1, got {value}")
    if args.workers is not None and args.workers < 0:
        parser.error(f"--workers must be >= 0, got {args.workers}")
    out = args.out or f"out/{args.protocol}"
    with _executor(args) as executor:
        rep = reproduce(args.protocol, out=out, steps=args.steps, methods=args.rows, targets=args.targets,
                        trials=args.trials, checkpoints=args.checkpoints, executor=executor, log=print,
                        progress=True)  # fmt: skip
    print(f"wrote {out}/table.md and {out}/trend.png ({len(rep.cells)} cells)")


def _compare(parser, args):
    from .protocols import load_reproduction
    from .protocols.report import settings_table

    reps = []
    for run in args.runs:
        protocol, sep, folder = run.partition("=")
        if not sep or not folder:
            parser.error(f"each run must be PROTOCOL=FOLDER, got {run!r}")
        try:
            reps.append(load_reproduction(folder, protocol))
        except ValueError as exc:
            parser.error(str(exc))
    table = settings_table(reps)
    if args.out is None:
        print(table)
    else:
        Path(args.out).write_text(table + "\n")
        print(f"wrote {args.out}")


@contextlib.contextmanager
def _executor(args):
    from .protocols import local_executor

    if args.scheduler is None:
        with local_executor(args.workers) as executor:
            yield executor
        return
    try:
        from distributed import Client
    except ImportError:
        raise SystemExit("--scheduler needs Dask distributed: pip install -c constraints.txt '.[cluster]'") from None
    with Client(args.scheduler) as client:
        yield client.get_executor()


if __name__ == "__main__":
    main()
