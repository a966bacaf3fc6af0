"""Reading the text in pictures: the offline engine, the page it reads, the worker pool, the rules
that find details, the stored readings and the suggestions offered to the person.
"""
