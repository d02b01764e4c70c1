"""Valid answers for each form the browser gates find, keyed by the form's action path (without
the language). The gates check every form empty, with errors and confirmed; a form that lands
without a sample here makes them fail, so its confirmed state cannot go unchecked."""

from __future__ import annotations

SAMPLES: dict[str, dict[str, str | bool]] = {
    # The demo form of tests/browser/fixture_site.py.
    "/fixture-form": {"alias": "Sam", "route": "sms", "day": "tue", "consent": True},
    "/callback": {
        "asking": "myself",
        "topics": True,
        "municipality": "Heideveen",
        "route": "call",
        "phone": "06 12345678",
        "consent": True,
    },
    # A code that does not exist: the answer page is a state of its own.
    "/callback/status": {"code": "ACDEF-34679"},
}
