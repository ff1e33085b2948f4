"""The database's failures, named for the layers above: they catch these, never the driver's own
types, so only models/ knows it is PyMongo underneath."""

from pymongo.errors import ConnectionFailure, DuplicateKeyError

# A unique index refused a write (a username, an email or a version name is taken).
AlreadyStored = DuplicateKeyError
# The database cannot be reached (server selection timed out, connection lost).
DatabaseUnreachable = ConnectionFailure

__all__ = ["AlreadyStored", "DatabaseUnreachable"]
