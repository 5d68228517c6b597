"""The domain's error types. Services raise them; the state layer shows their message."""


class DomainError(Exception):
    """A rule was broken; the message is safe to show to the user."""


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it does."""


class PermissionDenied(DomainError):
    """The actor may not do this."""
