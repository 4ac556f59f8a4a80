"""Command line: ``python -m divergences demo --out out``."""

import argparse

from . import demo


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m divergences", description="Divergences of the lecture's toys.")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="render the divergence-vs-theta figures and out/report.md")
    d.add_argument("--out", default="out", help="output folder (default: out)")
    args = parser.parse_args(argv)
    if args.command == "demo":
        path = demo.run(args.out)
        print(f"wrote {path} and the figures beside it")


if __name__ == "__main__":
    main()
