"""HTTP plumbing: the Flask application class, the API base, security headers, health, the
serving process and the WSGI entry point."""
