"""Modal dialogs: annotate (tags and a note for a passage), confirm (before anything is
destroyed) and prompt (one line: a file name, a tag name, a colour). They only ask; the
screen that opened them does the work."""
