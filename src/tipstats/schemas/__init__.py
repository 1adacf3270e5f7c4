"""pandera models: one per raw input file and one per processed dataset, grouped by topic."""
