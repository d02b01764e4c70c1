"""Who may open which partner page."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from flask import abort
from flask_login import current_user

from .sessions import login_manager


def staff_page(roles: Iterable[str] | None = None) -> Callable:
    """Logged-in staff only (and only `roles`, when given). No-store and noindex come from the
    hook in partners/__init__.py, which covers every answer under /partner."""
    allowed = tuple(roles) if roles is not None else None

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if allowed is not None and current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
