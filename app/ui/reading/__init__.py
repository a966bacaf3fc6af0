"""What text recognition found: the Found in evidence tab, the section in a picture's details, and
the background reader.
"""
