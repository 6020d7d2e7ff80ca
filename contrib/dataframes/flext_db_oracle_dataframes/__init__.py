"""DataFrames from query results and streams, and loads from them."""
