"""Modal dialogs: a one-line prompt here; annotate and confirm belong to the reader."""
