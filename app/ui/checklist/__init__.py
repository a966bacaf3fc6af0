"""The checklist panel: what to do next, step by step."""
