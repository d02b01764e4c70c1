"""The text a new story or page starts from (`flask content new`, and "new" in the editors'
area): a Dutch draft with every field filled in as an example."""

from __future__ import annotations

import datetime as dt
import re

from ..vocabulary import KINDS as SERVICE_KINDS
from .model import SiteSettings

STORY_TEMPLATE = """---
title: {title}
summary: Een of twee zinnen die vertellen waar het verhaal over gaat.
alias: {alias}
place: {place}
age_band: "{age_band}"
themes: [{theme}]
substances: []
date: {today}
draft: true
---

Schrijf hier het verhaal. Gebruik korte zinnen en gewone woorden.

## Een tussenkop

Een lege regel begint een nieuwe alinea.
"""

PAGE_TEMPLATE = """---
title: {title}
summary: Een of twee zinnen die zeggen wat de lezer hier vindt.
draft: true
---

Schrijf hier de tekst van de pagina.
"""


SERVICE_TEMPLATE = """---
name: {title}
summary: Een of twee zinnen die zeggen wat deze hulp doet.
organization: Naam van de organisatie
kind: {service_kind}
topics: [{topic}]
audiences: [myself]
area: [{place}]
hours:
  - {{byday: [MO, TU, WE, TH, FR], opens_at: "09:00", closes_at: "17:00"}}
free: true
verified: {today}
draft: true
---

Schrijf hier wat iemand kan verwachten: hoe je binnenkomt, wat het kost, of je een verwijzing
nodig hebt.
"""

GROUP_TEMPLATE = """---
name: {title}
summary: Een of twee zinnen die zeggen voor wie deze groep is.
fellowship: NA
topics: [drugs]
audiences: [myself]
area: [{place}]
verified: {today}
meetings:
  - {{byday: MO, time: "19:30", end_time: "21:00", location: Naam van de plek, types: [O, NL],
     address: {{street: Straatnaam 1, postal_code: 1234 AB, city: {place}}}}}
draft: true
---

Schrijf hier wat iemand bij een eerste bijeenkomst kan verwachten.
"""

CAMPAIGN_TEMPLATE = """---
code: {code}
title: {title}
summary: Een of twee zinnen die zeggen waarom iemand deze sms kreeg.
municipality: {place}
sent: {today}
recipients: 1
sms: "Schrijf hier de tekst van de sms, met de link {{site}}/s/{code}"
draft: true
---

Schrijf hier wat iemand leest die op de link in de sms tikt: waarom de sms kwam, wat er met het
nummer gebeurt, en waar je terecht kunt.
"""

SELFTEST_TEMPLATE = """---
title: {title}
summary: Een of twee zinnen die zeggen waar de test over gaat en voor wie hij is.
asking: myself
topic: drugs
order: 100
minutes: 2
# Elke vraag heeft antwoorden met punten, of is een ja/nee-vraag (yes_points: punten bij ja).
questions:
  - id: vraag-1
    text: Schrijf hier de eerste vraag?
    options:
      - {{text: Nooit, points: 0}}
      - {{text: Soms, points: 1}}
      - {{text: Vaak, points: 2}}
  - id: vraag-2
    text: Schrijf hier de tweede vraag?
    yes_points: 1
# De uitslagen samen dekken elke score van 0 tot het hoogste totaal, zonder gat of overlap.
bands:
  - id: laag
    from: 0
    to: 1
    title: Schrijf hier de uitslag bij een lage score
    text: Schrijf hier wat de uitslag betekent.
    not_meant: Schrijf hier wat de uitslag niet betekent.
    steps: [stories]
  - id: hoog
    from: 2
    to: 3
    title: Schrijf hier de uitslag bij een hoge score
    text: Schrijf hier wat de uitslag betekent.
    not_meant: Schrijf hier wat de uitslag niet betekent.
    steps: [callback, help]
draft: true
---

Schrijf hier een korte uitleg boven de vragen: voor wie de test is, en dat niets wordt bewaard.
"""

STARTERS = {
    "stories": STORY_TEMPLATE,
    "pages": PAGE_TEMPLATE,
    "services": SERVICE_TEMPLATE,
    "groups": GROUP_TEMPLATE,
    "campaigns": CAMPAIGN_TEMPLATE,
    "selftests": SELFTEST_TEMPLATE,
}
# The example texts of the starters: the content check refuses an item that still holds one, so
# an untouched starter can never go live.
PLACEHOLDERS = (
    "Een of twee zinnen die",
    "Schrijf hier",
    "Naam van de organisatie",
    "Naam van de plek",
    "Straatnaam 1",
    "Naam (verzonnen)",
    "## Een tussenkop",
    "Een lege regel begint een nieuwe alinea.",
)


def starter(kind: str, slug: str, site: SiteSettings, today: dt.date, draft: bool = True) -> str:
    """The starting text of a new item of `kind` (a folder of content/). In the editors' area
    the workflow keeps it unpublished, so it needs no `draft: true` (`draft=False`)."""
    text = STARTERS[kind]
    if not draft:
        text = text.replace("draft: true\n", "")
    code = re.sub(r"[^a-z0-9]", "", slug)[:16] or "sms"
    return text.format(
        code=code if len(code) >= 2 else f"{code}x",
        service_kind=SERVICE_KINDS[0],
        topic=next(iter(site.topics)),
        title=slug.replace("-", " ").capitalize(),
        alias="Naam (verzonnen)",
        place=site.municipalities[0],
        age_band=site.age_bands[0],
        theme=next(iter(site.themes)),
        today=today.isoformat(),
    )
