"""Extensions created once and bound to the app in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_wtf import CSRFProtect

from .ratelimit import client_key

babel = Babel()
csrf = CSRFProtect()
# No default limits: an SMS sent to thousands must never lock anyone out of the public pages.
# Forms set their own limits.
limiter = Limiter(key_func=client_key)
