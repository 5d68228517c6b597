"""Meilisearch: index settings (index.py), documents (documents.py), the outbox worker and
reindex (sync.py). Framework-free: nothing here imports reflex."""
