"""Shared building blocks: the app shell, the theme, widgets and table exports."""
