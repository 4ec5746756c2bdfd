"""Figures derived from the database: deadlines, timeliness, caseload, afbouw, staffing."""
