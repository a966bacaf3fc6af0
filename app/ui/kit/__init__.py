"""Small parts every screen uses: the worker primitive and the controller, dialogs' and forms'
keyboard policy, the date field, message bar, table delegates, screen fit, icons.
"""
