"""The ``tipstats`` command: argument parsing and error presentation only.

Exit codes: 0 success; 1 data failed validation (or a claim differs with ``--strict``);
2 any other error. No traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    from tipstats import __version__
    from tipstats.paths import REFERENCE_DIR

    parser = argparse.ArgumentParser(
        prog="tipstats", description="Curated statistics on trafficking in persons."
    )
    parser.add_argument("--version", action="version", version=f"tipstats {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    def data_dirs(p: argparse.ArgumentParser, out: bool) -> None:
        p.add_argument(
            "--raw-dir", type=Path, help="folder of raw source files (default: data/raw of the checkout)"
        )
        p.add_argument(
            "--reference-dir", type=Path, default=REFERENCE_DIR, help="folder of reviewed reference files"
        )
        # build writes the checkout's data/processed; validate reads what the loaders read
        p.add_argument(
            "--out-dir" if out else "--processed-dir", type=Path,
            help="folder of processed datasets (default: data/processed"
            + (" of the checkout)" if out else ", or the installed package's copy)"),
        )  # fmt: skip
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    data_dirs(
        sub.add_parser("build", help="raw -> processed, validating both sides; all or nothing"), out=True
    )
    data_dirs(
        sub.add_parser("validate", help="validate raw files (schema and sha256) and processed datasets"),
        out=False,
    )
    sub.add_parser("list", help="list the datasets")
    info = sub.add_parser("info", help="describe one dataset: columns, sources, caveats")
    info.add_argument("name")
    search = sub.add_parser("search", help="datasets and columns whose names or descriptions match the words")
    search.add_argument("words", nargs="+")
    for p in (info, search):
        p.add_argument("--width", type=int, help="wrap to this many columns (default: the terminal's width)")
    claims = sub.add_parser("claims", help="the claims audit of report A/76/120")
    claims.add_argument(
        "--format", choices=["table", "text", "csv", "json", "markdown"], default="table"
    )  # render.FORMATS
    claims.add_argument("--strict", action="store_true", help="also exit 1 when any claim differs")
    claims.add_argument(
        "--wide",
        action="store_true",
        help="table: every cell whole on one line (default: wrapped to the terminal)",
    )
    claims.add_argument("--output", type=Path, help="write to this file instead of standard output")
    export = sub.add_parser(
        "export", help="write datasets with their codebook as csv, parquet, xlsx or dta (Stata)"
    )
    export.add_argument(
        "--format", choices=["csv", "parquet", "xlsx", "dta"], default="csv"
    )  # export.FORMATS
    export.add_argument(
        "--datasets", nargs="+", metavar="NAME", help="only these datasets (default: all; sources always)"
    )
    # DIR may follow --datasets (`--datasets a b DIR`): argparse gives it to --datasets, _run takes it back
    export.add_argument(
        "out_dir", type=Path, nargs="?", metavar="DIR", help="a new or empty folder, or an earlier export"
    )
    figures = sub.add_parser("figures", help="write every figure as SVG and PNG")
    figures.add_argument("--out-dir", type=Path, default=Path("reports/figures"))
    tables = sub.add_parser("analysis", help="write the convictions analysis tables")
    tables.add_argument("--out-dir", type=Path, default=Path("reports/tables"))
    generate = sub.add_parser(
        "generate", help="write the files generated from the dataset registry (loaders, make prerequisites)"
    )
    generate.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    for p in (info, search, claims, export, figures, tables, generate):
        # SUPPRESS: `tipstats --debug build` must not be reset to False by the subcommand's default
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def claims_exit_code(table, strict: bool) -> int:
    """0 when every claim has a verdict; 1 when a computation failed, or (``strict``) a claim differs."""
    from tipstats.claims_audit.rules import FAILED

    if (table["status"] == FAILED).any():
        return 1
    if strict and (table["status"] == "differs").any():
        return 1
    return 0


def run_claims(fmt: str, strict: bool, output: Path | None, *, table=None, wide: bool = False) -> int:
    """``tipstats claims``: print (or write to ``output``) the table; return the exit code.

    Exit 0 when every claim has a verdict and no computation failed; 1 when a computation failed
    (listed on standard error) or, with ``strict``, when any claim ``differs``. An invalid
    registry raises :class:`~tipstats.errors.DataValidationError` (printed by :func:`main`, exit 1).
    """
    from tipstats import progress
    from tipstats.claims_audit import audit
    from tipstats.claims_audit.rules import FAILED
    from tipstats.render import render

    if table is None:
        with progress.shown("tipstats claims"):
            table = audit()
    text = render(table, fmt, wide=wide)
    if output is None:
        sys.stdout.write(text)
    else:
        from tipstats.io import write_text

        write_text(text, Path(output))
    for row in table[table["status"] == FAILED].itertuples(index=False):
        print(f"tipstats claims: {row.claim_id}: {row.explanation}", file=sys.stderr)
    differs = table[table["status"] == "differs"]
    if strict and len(differs):
        print(
            f"tipstats claims: {len(differs)} claim(s) differ: {', '.join(differs['claim_id'])}",
            file=sys.stderr,
        )
    return claims_exit_code(table, strict)


SECTIONS = {
    "integrity": "Raw files whose bytes differ from the sources registry (sha256)",
    "parse": "Files that could not be read (as CSV, or as the text a builder reads)",
    "schema": "Values that fail a check",
    "rule": "Values that fail a rule of the build",
    "unregistered": "Files in the raw folder that the sources registry does not know (nothing reads them)",
    "descriptor": "Processed files that differ from their descriptor (datapackage.json)",
}
SHOWN_PER_FILE = 100
VALUE_WIDTH = 60


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN: an empty cell
        return ""
    if hasattr(value, "strftime") and not any(getattr(value, u, 0) for u in ("hour", "minute", "second")):
        value = value.strftime("%Y-%m-%d")  # a date, not a timestamp at midnight
    text = repr(value) if isinstance(value, (str, bytes)) else str(value)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def _print_failures(exc, stream=None) -> None:
    """Every failure, grouped by kind and then by file, as a table: row, column, value, check.

    Rows count the header as row 1, as a spreadsheet does. File names are printed whole.
    """
    stream = sys.stderr if stream is None else stream
    failures = exc.failures
    files = list(dict.fromkeys(f.file for f in failures))
    print(f"tipstats: {len(failures)} data failure(s) in {len(files)} file(s)", file=stream)
    kinds = list(dict.fromkeys([*SECTIONS, *(f.kind for f in failures)]))
    for kind in kinds:
        group = [f for f in failures if f.kind == kind]
        if not group:
            continue
        print(f"\n{SECTIONS.get(kind, kind)} ({len(group)}):", file=stream)
        for file in dict.fromkeys(f.file for f in group):
            mine = [f for f in group if f.file == file]
            print(f"  {file}", file=stream)
            rows = [("row", "column", "value", "check")]
            rows += [
                ("" if f.row is None else str(f.row), f.column or "", _cell(f.value), str(f.check))
                for f in mine[:SHOWN_PER_FILE]
            ]
            widths = [max(len(r[i]) for r in rows) for i in range(3)]
            for r in rows:
                print(
                    "    " + "  ".join(c.ljust(w) for c, w in zip(r[:3], widths, strict=True)) + "  " + r[3],
                    file=stream,
                )
            if len(mine) > SHOWN_PER_FILE:
                print(f"    ... and {len(mine) - SHOWN_PER_FILE} more in this file", file=stream)
    print("\n(Rows count the header as row 1, as in a spreadsheet.)", file=stream)


class NeedsCheckout(RuntimeError):
    """``build``/``validate`` in an installed package, without the folders a checkout would give."""


def data_folders(command: str, raw_dir: Path | None, out_dir: Path | None) -> tuple[Path, Path]:
    """The raw folder and the processed folder of ``build`` (``out_dir``) or ``validate``.

    In a checkout they default to ``data/raw`` and ``data/processed``. An installed package ships no raw
    sources, so there ``--raw-dir`` is needed (and ``--out-dir`` for ``build``: nothing is written into the
    installation); without them a :class:`NeedsCheckout` says so instead of reporting missing files as
    data failures.
    """
    from tipstats.paths import IN_CHECKOUT, RAW_DIR, REPO_PROCESSED_DIR, processed_dir

    if not IN_CHECKOUT:
        missing = ["--raw-dir DIR"] if raw_dir is None else []
        if command == "build" and out_dir is None:
            missing.append("--out-dir DIR")
        if missing:
            raise NeedsCheckout(
                f"`tipstats {command}` reads the raw sources, which an installed package does not ship: "
                f"run it in a checkout (git clone, then `make data`), or give {' and '.join(missing)}"
            )
    raw = RAW_DIR if raw_dir is None else raw_dir
    if out_dir is not None:
        return raw, out_dir
    return raw, (REPO_PROCESSED_DIR if command == "build" else processed_dir())


def _run(args: argparse.Namespace) -> int:
    from tipstats.errors import DataValidationError

    if args.command == "list":
        from tipstats.datasets import list_datasets
        from tipstats.metadata import model_info

        for name in list_datasets():
            print(f"{name:<22} {model_info(name)['title']}")
        return 0
    if args.command == "info":
        from tipstats.discover import describe

        print(describe(args.name).text(None if args.width is None else args.width))
        return 0
    if args.command == "search":
        from tipstats.discover import search, search_text

        print(search_text(search(" ".join(args.words)), args.width))
        return 0
    if args.command == "build":
        from tipstats import progress
        from tipstats.pipeline import build

        args.raw_dir, args.out_dir = data_folders("build", args.raw_dir, args.out_dir)
        try:
            with progress.shown("tipstats build"):
                result = build(args.raw_dir, args.out_dir, args.reference_dir)
        except DataValidationError as exc:
            _print_failures(exc)
            print(f"\nNothing was written; {args.out_dir} is unchanged.", file=sys.stderr)
            return 1
        for warning in result.warnings:  # raw files that differ from the registry: built from as they are
            print(
                f"warning: {warning.file}: bytes differ from the sources registry (expected: {warning.check}; "
                f"found {warning.value}); built from the file as it is",
                file=sys.stderr,
            )
        for unknown in result.unregistered:
            print(f"warning: {unknown.file}: not {unknown.check}; nothing reads it", file=sys.stderr)
        print(f"built {len(result.datasets)} datasets into {result.out_dir}")
        return 0
    if args.command == "validate":
        from tipstats.publish import recover
        from tipstats.validate import validate_all

        args.raw_dir, args.processed_dir = data_folders("validate", args.raw_dir, args.processed_dir)
        recover(args.processed_dir)  # a build killed mid-publish leaves nothing half-done to validate
        failures = validate_all(args.raw_dir, args.processed_dir, args.reference_dir)
        if failures:
            _print_failures(DataValidationError(failures), stream=sys.stdout)
            return 1
        print("all raw files and processed datasets are valid")
        return 0
    if args.command == "claims":
        return run_claims(args.format, args.strict, args.output, wide=args.wide)
    if args.command == "generate":
        from tipstats.generate import stale_files, write_generated

        if args.check:
            stale = stale_files()
            for path in stale:
                print(f"stale: {path} (run `tipstats generate`)", file=sys.stderr)
            return 1 if stale else 0
        for path in write_generated():
            print(path)
        return 0
    if args.command == "export":
        from tipstats.export import export

        if args.out_dir is None:
            if not args.datasets or len(args.datasets) < 2:
                raise ValueError(
                    "tipstats export needs a folder: tipstats export [--format F] [--datasets ...] DIR"
                )
            *args.datasets, last = args.datasets
            args.out_dir = Path(last)
        for path in export(args.out_dir, args.format, args.datasets):
            print(path)
        return 0
    if args.command == "figures":
        from tipstats.figures import write_all

        for path in write_all(args.out_dir):
            print(path)
        return 0
    if args.command == "analysis":
        from tipstats.analysis.convictions import write_tables

        for path in write_tables(args.out_dir):
            print(path)
        return 0
    raise AssertionError(args.command)  # pragma: no cover


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as `yes | head -1` reports for `yes`


def _quiet_broken_pipe() -> int:
    """The reader of our output has gone (``tipstats list | head -1``): stop without a word."""
    import os

    with contextlib.suppress(OSError):  # stdout is closed at exit; point it where a flush cannot fail
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("tipstats: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _quiet_broken_pipe()


def _main(argv: list[str] | None) -> int:
    from tipstats.errors import DataValidationError
    from tipstats.optional import MissingDependency

    args = _parser().parse_args(argv)
    if args.debug:
        return _run(args)
    try:
        return _run(args)
    except DataValidationError as exc:
        _print_failures(exc)
        return 1
    except KeyError as exc:
        print(f"tipstats: error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise  # not an error of ours: main() exits quietly
    except (MissingDependency, NeedsCheckout) as exc:  # one line that says what to do
        print(f"tipstats: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, RuntimeError, ImportError) as exc:
        print(f"tipstats: error: {exc} (run with --debug for details)", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not bad data: still no traceback without --debug
        print(
            f"tipstats: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
