"""The conversation view: conversations read from chat exports, shown as bubbles."""
