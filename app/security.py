"""Security headers: one place decides them for every response, by its path.

A strict CSP (no inline script or style, no eval), no framing except for embeds, no server banner.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import split_locale

# default-src 'none': everything a page may load is named. htmx fetches fragments from us
# (connect-src); forms submit to us; nothing may set a <base>.
CSP_DIRECTIVES = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "manifest-src 'self'; form-action 'self'; base-uri 'none'; "
    # The permalink's embed panel previews our own /embed/ page in an iframe.
    "frame-src 'self'"
)
CONTENT_SECURITY_POLICY = f"{CSP_DIRECTIVES}; frame-ancestors 'none'"
# /embed/* pages exist to be framed by other sites (issue 10): any ancestor, and no X-Frame-Options.
EMBED_CONTENT_SECURITY_POLICY = f"{CSP_DIRECTIVES}; frame-ancestors *"
EMBED_PREFIX = "/embed/"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
HSTS = "max-age=63072000; includeSubDomains"


def _is_shareable(path: str) -> bool:
    """Share cards and embeds are meant to be loaded by other sites (an <img> in a post, an
    iframe), so Cross-Origin-Resource-Policy lets any origin load them."""
    return path.startswith(EMBED_PREFIX) or (path.startswith("/proposals/") and path.endswith("/card.png"))


def security_headers(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    """The security headers of one response, by its path and whether the site is served over https."""
    embed = path.startswith(EMBED_PREFIX)
    headers = [
        (b"content-security-policy", (EMBED_CONTENT_SECURITY_POLICY if embed else CONTENT_SECURITY_POLICY).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    ]
    if not embed:
        headers.append((b"x-frame-options", b"DENY"))
    if https:
        # Only over https: HSTS on plain http is ignored, and COOP/CORP need a secure context.
        headers += [
            (b"strict-transport-security", HSTS.encode()),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"cross-origin" if _is_shareable(path) else b"same-origin"),
            (b"permissions-policy", PERMISSIONS_POLICY.encode()),
        ]
    return headers


class SecurityHeaders:
    """Adds the security headers to every response and drops any server banner.

    It wraps the whole app, outside Starlette's error middleware, so 500s carry the headers too.
    """

    def __init__(self, app: ASGIApp, https: bool):
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # /uk/embed/… is an embed too: the headers go by the path without its language.
        extra = security_headers(split_locale(scope["path"])[1], self.https)
        names = {name for name, _ in extra} | {b"server"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)
