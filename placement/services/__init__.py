"""Writes for placement data, one module per subject. Views, commands, tasks and the demo call these."""
