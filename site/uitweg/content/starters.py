"""The text a new story or page starts from (`flask content new`, and "new" in the editors'
area): a Dutch draft with every field filled in as an example."""

from __future__ import annotations

import datetime as dt

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


STARTERS = {"stories": STORY_TEMPLATE, "pages": PAGE_TEMPLATE}
# The example texts of the starters: the content check refuses an item that still holds one, so
# an untouched starter can never go live.
PLACEHOLDERS = (
    "Een of twee zinnen die",
    "Schrijf hier",
    "Naam (verzonnen)",
    "## Een tussenkop",
    "Een lege regel begint een nieuwe alinea.",
)


def starter(kind: str, slug: str, site: SiteSettings, today: dt.date, draft: bool = True) -> str:
    """The starting text of a new item of `kind` ("stories" or "pages"). In the editors' area
    the workflow keeps it unpublished, so it needs no `draft: true` (`draft=False`)."""
    text = STARTERS[kind]
    if not draft:
        text = text.replace("draft: true\n", "")
    return text.format(
        title=slug.replace("-", " ").capitalize(),
        alias="Naam (verzonnen)",
        place=site.municipalities[0],
        age_band=site.age_bands[0],
        theme=next(iter(site.themes)),
        today=today.isoformat(),
    )
