"""Who may open which partner page."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from flask import abort, render_template
from flask_login import current_user

from .sessions import login_manager


def staff_page(roles: Iterable[str] | None = None, admitted: bool = False) -> Callable:
    """Logged-in staff only (and only `roles`, when given; with `admitted`, only members who
    hold the partner's key). No-store and noindex come from the hook in security.py (private_area),
    which covers every answer under /partner.

    A new member sees nothing of the partner's requests until a coordinator admits them (gives
    them the partner's key): an account made with an invitation, by whoever, is not yet trusted
    with anything the partner handles."""
    allowed = tuple(roles) if roles is not None else None

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if allowed is not None and current_user.role not in allowed:
                abort(403)
            if admitted and not current_user.admitted:
                return render_template("staff/waiting.html"), 403
            return view(*args, **kwargs)

        return wrapper

    return decorator
