"""Errors that services raise and interfaces turn into Chinese messages."""


class ApplicationError(Exception):
    """A business rule refused the request; `message` is shown to the user as is."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class ConcurrentEditError(ApplicationError):
    """Someone else saved the same record after this form was opened (并发修改)."""

    def __init__(self, message: str = "该记录已被他人修改，请刷新后在最新内容上重新编辑。") -> None:
        super().__init__(message, code="conflict")
