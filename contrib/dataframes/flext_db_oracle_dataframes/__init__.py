"""DataFrames from query results and streams, and loads from them.

>>> from flext_db_oracle_dataframes import to_arrow, to_polars, to_pandas, load_frame
>>> table = api.query("select * from orders").bind(to_arrow).unwrap()

polars and pandas are optional (`flext-db-oracle-dataframes[polars]`, `[pandas]`):
they are imported when first used, and a missing one is a `configuration` error.
"""

from flext_db_oracle_dataframes.convert import query_arrow, to_arrow, to_pandas, to_polars
from flext_db_oracle_dataframes.load import load_frame

__all__ = ["load_frame", "query_arrow", "to_arrow", "to_pandas", "to_polars"]
