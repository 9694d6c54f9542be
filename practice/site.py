"""The practice app's part of the site shell: its access-table rows and menu entries."""

ACCESS = {}
