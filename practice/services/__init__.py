"""Writes of the practice app: the question bank, practical tasks, attempts and task answers."""
