"""ntm-analysis: clean and analyse New Rural Development (nông thôn mới) criteria tallies."""

__version__ = "0.1.0"
