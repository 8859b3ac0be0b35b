"""Widgets the screens are built from: the library's article table, search box and status
line; the reader's view (paints matches and annotations), annotation panel and status line;
the tags screen's tree and annotation list; the footer every screen shows."""
