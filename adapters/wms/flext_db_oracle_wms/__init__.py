"""Oracle WMS Cloud as a flext-db-oracle record source."""
