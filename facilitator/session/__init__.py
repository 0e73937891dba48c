"""The session store: one private folder per session holding session.db (SQLite, WAL)."""
