"""The record tabs: offender details, payments, timeline, and search across the case."""
