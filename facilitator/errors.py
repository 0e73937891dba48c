"""Errors that are shown to the user as a plain message (never a traceback)."""


class FacilitatorError(Exception):
    """A problem the user can fix; the message says what is wrong and how to fix it."""


class InputFileError(FacilitatorError):
    """A guide, codebook or settings file that cannot be used."""

    def __init__(self, path: object, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path} cannot be used:\n{lines}")


class SessionError(FacilitatorError):
    """A session that cannot be found, opened or written."""
