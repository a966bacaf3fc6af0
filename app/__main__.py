"""`python -m app` and the `safekeep` command: no arguments opens the app, arguments run the CLI."""

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui":
        # Import Qt only when a window is wanted: the CLI stays fast and headless.
        from app.ui.launch import run_desktop_app

        case_path = args[1] if len(args) > 1 else None
        return run_desktop_app(case_path)
    from app.cli import run_cli

    return run_cli(args)


if __name__ == "__main__":
    sys.exit(main())
