"""Loading a GI's case and staffing exports into the project's database."""
