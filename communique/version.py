"""The version of communique (one place: the package, the user agent of web requests, --version)."""
__version__ = "0.1.0"
