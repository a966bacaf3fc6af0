"""Rules that find one kind of detail each in the text read from a picture."""
