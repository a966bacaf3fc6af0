"""`python -m app` and the `safekeep` command: no arguments opens the app, arguments run the CLI."""

import sys

from app.cli.window import GUI  # the command's name, spelled once; imports no Qt


def disable_core_dumps() -> None:
    """A core dump would write the decrypted key and case data to disk in the clear."""
    try:
        import resource
    except ImportError:  # Windows: no core dumps of this kind
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        sys.stderr.write("safekeep: warning: core dumps could not be turned off\n")


def main(argv: list[str] | None = None) -> int:
    disable_core_dumps()  # first, for the window and the command line alike
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == GUI.name:
        # Import Qt only when a window is wanted: the CLI stays fast and headless.
        from app.ui.shell.launch import run_desktop_app

        case_path = args[1] if len(args) > 1 else None
        return run_desktop_app(case_path)
    from app.cli.main import run_cli

    return run_cli(args)


if __name__ == "__main__":
    sys.exit(main())
