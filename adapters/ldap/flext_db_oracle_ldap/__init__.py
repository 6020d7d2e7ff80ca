"""LDAP adapter for flext-db-oracle."""
