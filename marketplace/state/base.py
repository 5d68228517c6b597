"""The root of the app's state tree.

Identity will come from the signed HttpOnly session cookie (the accounts issue); until then
every visitor is anonymous and no handler here writes anything.
"""

import reflex as rx


class AppState(rx.State):
    """Shared by every page: the signed-in user (none yet) and a page-level notice."""

    notice: str = ""
