from .server import SampleSiteServer, serve_sample_site

__all__ = ["SampleSiteServer", "serve_sample_site"]
