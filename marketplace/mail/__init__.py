"""Outgoing mail: the look of every mail (render), the SMTP sender (smtp) and the database outbox
the worker drains (outbox). Framework-free, below services, like payments/."""
