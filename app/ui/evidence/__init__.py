"""The Evidence tab: the grid of items, the details pane, adding files, pasting and screen capture,
thumbnails.
"""
