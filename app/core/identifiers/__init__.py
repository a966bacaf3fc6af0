"""Offender identifiers: the kinds there are, and reading one as typed (links, money details, phone
numbers, e-mail) into a tidy form with gentle hints.
"""
