"""The headless command line (the contract in docs/DESIGN.md): the same operations as the
window, for caseworkers' scripts and for tests.

Each group module (case, evidence, records, links, checklist, upkeep, reading, bundle,
window) names its commands once, in `Command` records that carry the parser's arguments and
the runner together; `main` gathers the groups, builds the parser and runs the chosen command.
Heavy imports stay inside the runners, so `safekeep --help` answers fast. Nothing here imports
Qt or `app.ui` (import-linter checks it).
"""

# The one word that opens the window instead of running a command. Here, in a module with no
# imports, so that `safekeep` and `safekeep gui` reach the first window without loading the
# command line (app/__main__.py checks it; app/cli/window.py lists it with the commands).
WINDOW_COMMAND = "gui"
