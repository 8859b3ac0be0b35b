"""Widgets of the library and tags screens: article table, search box, status line, tag tree."""
