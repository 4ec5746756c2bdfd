"""Benchmarks of our figures against pandas and DuckDB: tooling, not part of the product."""
