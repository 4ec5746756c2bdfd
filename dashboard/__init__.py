"""The Dash dashboard: app shell, pages and shared widgets; reads data only through queries/."""
