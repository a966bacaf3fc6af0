"""The app's frame: start-up, the session (which window shows when, locking, quick exit), the main
window and its dialogs.
"""
