"""Headers on every response: what the browser may load and show, what it may cache, and which
other sites' pages may call the API (none unless CORS_ORIGINS names them)."""

from flask import Flask, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from .api import API_PREFIX

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, PATCH",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}


def register(app: Flask) -> None:
    """Add the security headers to every response, and trust the configured proxies."""
    if app.config["PROXY_COUNT"] > 0:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    origins = {o.strip() for o in app.config["CORS_ORIGINS"].split(",") if o.strip()}

    @app.after_request
    def add_security_headers(response):
        response.headers.update(ALWAYS)
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if _private(response):
            response.headers["Cache-Control"] = "private, no-store"
        _allow_origin(response, origins)
        return response


def _private(response) -> bool:
    # Answers to a signed-in caller may hold drafts or history: no shared or stored copies.
    return bool(g.get("user") or request.authorization or "user_id" in session)


def _allow_origin(response, origins: set[str]) -> None:
    origin = request.headers.get("Origin")
    if not request.path.startswith(API_PREFIX):
        return
    response.vary.add("Origin")
    if origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers.update(CORS_HEADERS)
