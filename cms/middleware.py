import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answer `/healthz` before host validation, sessions or i18n: load balancers and
    container health checks call it by IP address, and it must stay cheap."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != "/healthz":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            logger.exception("Health check: the database did not answer")
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain; charset=utf-8")


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, when the database cannot be reached (restart,
    failover): load balancers and the quiz autosave then retry, and nothing was written."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable while serving %s: %s", request.path, exception)
        response = HttpResponse(
            "The service is briefly unavailable. Please try again in a few seconds.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
