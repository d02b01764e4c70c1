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
    # A question in writing, and a code that opens nothing (its answer is a state of its own).
    "/callback/write": {
        "asking": "myself",
        "topics": True,
        "municipality": "Vaartstad",
        "message": "Kan ik ook hulp krijgen als ik niet wil bellen?",
        "consent": True,
    },
    "/callback/conversation": {"code": "7KQM-3XDW-9HPT-R2NA"},
    # A visitor's "something is wrong" about any listing, and a listing owner's answer.
    "/help/*/*/report": {"note": "Het telefoonnummer werkt niet meer."},
    "/help/check/*": {"answer": "same"},
    # A code that does not exist: the answer page is a state of its own.
    "/callback/status": {"code": "ACDEF-34679"},
    # Self-tests: every other answer the first or the second option (No or Yes).
    "/selftests/alcohol": {
        "q-dagen": "0",
        "q-glazen": "1",
        "q-zes-glazen": "0",
        "q-niet-stoppen": "1",
        "q-ochtend": "0",
        "q-vergeten": "1",
        "q-afspraken": "0",
        "q-gewond": "1",
        "q-schaamte": "0",
        "q-zorgen": "1",
    },
    "/selftests/cannabis": {
        "q-hoe-vaak": "0",
        "q-ochtend": "1",
        "q-alleen": "0",
        "q-onthouden": "1",
        "q-stoppen-lukt-niet": "0",
        "q-slapen": "1",
        "q-afspraken": "0",
        "q-somber": "1",
        "q-geld": "0",
        "q-zorgen": "1",
    },
    "/selftests/drugs": {
        "q-hoe-vaak": "0",
        "q-meer-middelen": "1",
        "q-meer-dan-gepland": "0",
        "q-stoppen-lukt-niet": "1",
        "q-drang": "0",
        "q-tijd": "1",
        "q-afspraken": "0",
        "q-ruzie": "1",
        "q-geld": "0",
        "q-gevaar": "1",
        "q-zonder": "0",
        "q-zorgen": "1",
    },
    "/selftests/gambling-gaming": {
        "q-uren": "0",
        "q-denken": "1",
        "q-ophouden": "0",
        "q-steeds-meer": "1",
        "q-terugwinnen": "0",
        "q-lenen": "1",
        "q-verzwijgen": "0",
        "q-slaap": "1",
        "q-onrustig": "0",
        "q-vluchten": "1",
    },
    "/selftests/worried-about-someone": {
        "q-stemming": "0",
        "q-school-werk": "1",
        "q-vrienden": "0",
        "q-geld-spullen": "1",
        "q-verdwijnt": "0",
        "q-gevonden": "1",
        "q-onder-invloed": "0",
        "q-slapen-eten": "1",
        "q-weg": "0",
        "q-telefoons": "1",
        "q-politie": "0",
        "q-jezelf": "1",
    },
}
