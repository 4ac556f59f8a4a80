"""Command line: ``python -m gan1d lecture --out out [--quick] [--seed 0]``."""

import argparse

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
    args = parser.parse_args(argv)
    if args.command == "lecture":
        if args.seed < 0 or args.threads < 1 or (args.workers is not None and args.workers < 0):
            parser.error(
                f"--seed must be >= 0, --threads >= 1 and --workers >= 0, got {args.seed}, {args.threads} and "
                f"{args.workers}"
            )
        path = lecture.run(args.out, quick=args.quick, seed=args.seed, threads=args.threads, workers=args.workers)
        print(f"wrote {path} and the figures beside it")


if __name__ == "__main__":
    main()
