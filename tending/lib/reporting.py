from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


class NoIntimateTextFilter(SafeExceptionReporterFilter):
    """Error reports (debug pages, mailed reports) never show what people wrote:
    every POST value and every local variable of a view is hidden."""

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):  # type: ignore[no-untyped-def]
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
