"""Writes for videos and evidence files, one module a subject; import the module you need.

Views, tasks, commands and the admin call these; nothing else writes. `shared` holds what the subjects share.
"""
