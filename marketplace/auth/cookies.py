"""The session cookie and the one-time sign-in handoff, both signed with SECRET_KEY.

The cookie carries the session token inside an itsdangerous signature, so a forged or altered
cookie is refused before the database is asked. It is HttpOnly and SameSite=Lax: page scripts
cannot read it and other sites cannot send it with a form post.
"""

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SESSION_COOKIE = "gw_session"
SESSION_MAX_AGE_S = 30 * 24 * 3600
HANDOFF_MAX_AGE_S = 120


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"gigworks:{purpose}")


def sign_session(secret_key: str, token: str) -> str:
    return _serializer(secret_key, "session").dumps(token)


def read_session(secret_key: str, cookie_value: str | None) -> str | None:
    """The session token in a cookie value, or None if it is missing, forged or too old."""
    if not cookie_value or len(cookie_value) > 512:
        return None
    try:
        token = _serializer(secret_key, "session").loads(cookie_value, max_age=SESSION_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    return token if isinstance(token, str) else None


def sign_handoff(secret_key: str, token: str, next_path: str = "/") -> str:
    return _serializer(secret_key, "handoff").dumps({"t": token, "n": safe_next(next_path)})


def read_handoff(secret_key: str, ticket: str) -> tuple[str, str] | None:
    try:
        data = _serializer(secret_key, "handoff").loads(ticket, max_age=HANDOFF_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        return None
    return data["t"], safe_next(data.get("n", "/"))


def safe_next(path: object) -> str:
    """Only same-site paths: '/x' yes; '//evil.com', 'https://evil.com', '/\\evil' no."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith(("//", "/\\")):
        return "/"
    return path[:512]


def cookie_from_header(cookie_header: str | None) -> str | None:
    """Pick the session cookie out of a raw Cookie header (the websocket's, on the server)."""
    from http.cookies import CookieError, SimpleCookie

    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else None
