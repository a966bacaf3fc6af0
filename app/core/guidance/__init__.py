"""The advice behind the checklist: the advice pack and its schema, the checklist in a case, what
the case's records show about each step, and the ready-to-paste texts.
"""
