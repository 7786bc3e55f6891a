"""See models.py; routes come with their feature."""
