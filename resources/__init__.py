"""Data shipped with Safekeep: advice packs, fonts, icons. Data, not code."""
