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
    args = parser.parse_args(argv)
    if args.command == "lecture":
        if args.seed < 0 or args.threads < 1:
            parser.error(f"--seed must be >= 0 and --threads >= 1, got {args.seed} and {args.threads}")
        path = lecture.run(args.out, quick=args.quick, seed=args.seed, threads=args.threads)
        print(f"wrote {path} and the figures beside it")


if __name__ == "__main__":
    main()
