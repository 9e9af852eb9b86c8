"""Signing out on a shared computer leaves nothing of the learner in the browser."""

# Everything the site stored in this browser profile: the HTTP cache (private pages), the
# service worker, its caches, IndexedDB and local storage. The page's script also purges the
# learner's stores itself before it signs out (browsers that ignore this header).
CLEAR_SITE_DATA = '"cache", "storage"'


class ClearSiteDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            request.method == "POST"
            and match is not None
            and match.url_name == "logout"
            and response.status_code < 400
        ):
            response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
