"""`python -m app` and the `safekeep` command: no arguments opens the app, arguments run the CLI."""

import sys

from app.cli import WINDOW_COMMAND  # the word, spelled once, in a module with no imports


def disable_core_dumps() -> None:
    """A core dump would write the decrypted key and case data to disk in the clear.

    On Linux the process is also made non-dumpable: no core through a core_pattern pipe, no
    other program of the same user attaching with ptrace to read the key from memory, and
    /proc/PID/environ (where a passphrase given in SAFEKEEP_PASSPHRASE stays for the life of
    the process) readable by root only."""
    try:
        import resource
    except ImportError:  # Windows: no core dumps of this kind
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        sys.stderr.write("safekeep: warning: core dumps could not be turned off\n")
    if sys.platform == "linux":
        import ctypes

        if ctypes.CDLL(None).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            sys.stderr.write("safekeep: warning: memory could not be kept from other programs\n")


_PR_SET_DUMPABLE = 4


def window_takes(words: list[str]) -> bool:
    """`[--portable] [CASE]`, as app/ui/shell/launch.py reads them. Anything else (`--help`,
    a misspelt option, two cases) goes to the command line's parser, which prints the help or
    says what is wrong: `safekeep gui --help` had opened the window, on a case named --help."""
    if "--" in words:
        before, after = words[:words.index("--")], words[words.index("--") + 1:]
    else:
        before, after = words, []
    options = [w for w in before if w.startswith("-")]
    cases = [w for w in before if not w.startswith("-")] + after
    return all(o == "--portable" for o in options) and len(cases) <= 1


def main(argv: list[str] | None = None) -> int:
    disable_core_dumps()  # first, for the window and the command line alike
    args = sys.argv[1:] if argv is None else argv
    if (not args or args[0] == WINDOW_COMMAND) and window_takes(args[1:]):
        from app.ui.window_check import why_no_window

        problem = why_no_window()  # before Qt, which would abort with misleading words
        if problem is not None:
            sys.stderr.write(f"safekeep: error: {problem}\n")
            from app.errors import EXIT_OTHER

            return EXIT_OTHER
        # Import Qt only when a window is wanted: the CLI stays fast and headless.
        from app.ui.shell.launch import run_desktop_app

        return run_desktop_app(args[1:])
    from app.cli.main import run_cli

    return run_cli(args)


if __name__ == "__main__":
    sys.exit(main())
