"""The database layer both sides share: the tables (declared once), the engine, the audit chain.

etl/ writes through it and queries/ reads through it; it imports neither.
"""
