"""Patching a workbook package instead of re-saving it: its members read once, the few that
change edited as text (`parts`, `styles`, `sheet`, `comments`, `workbook`), a sheet of ours
added (`newsheet`), everything else written back byte for byte."""
