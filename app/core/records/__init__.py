"""The case's records as the rest of the app sees them: evidence, offender identifiers, payments,
the timeline, the case summary, the integrity check, and the audit helpers every change goes
through.
"""
