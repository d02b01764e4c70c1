"""gunicorn's logs without people in them (configured in gunicorn.conf.py).

gunicorn writes the client address into its error log for a malformed request ("Invalid request
from ip=..."), and the access log's path may hold an enrolment token or an encoded line break.
Every message and every access-log field passes through logs.scrub().
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from .logs import scrub


def _text(msg: object, args: tuple[Any, ...]) -> str:
    text = str(msg)
    if args:
        try:
            text = text % args
        except (TypeError, ValueError):
            text = " ".join([text, *map(str, args)])
    return scrub(text)


class PrivateLogger(Logger):
    def critical(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().critical(_text(msg, args), **kwargs)

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().error(_text(msg, args), **kwargs)

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().warning(_text(msg, args), **kwargs)

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().info(_text(msg, args), **kwargs)

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().debug(_text(msg, args), **kwargs)

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        super().exception(_text(msg, args), **kwargs)

    def log(self, lvl: Any, msg: object, *args: Any, **kwargs: Any) -> None:
        super().log(lvl, _text(msg, args), **kwargs)

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: scrub(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
