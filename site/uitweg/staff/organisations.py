"""Who staff work for: a care partner from partners.yaml, or the site's owner (the municipality
or region that runs the site). Care partners' people handle requests; the owner's people read
the statistics (and, later, edit content). A member belongs to exactly one organisation."""

from __future__ import annotations

from ..context import content
from ..vocabulary import OWNER, Role

__all__ = ["OWNER", "care_partners", "exists", "name", "roles"]


def care_partners() -> list[str]:
    routing = content().routing
    return list(routing.partners) if routing is not None else []


def exists(slug: str) -> bool:
    return slug == OWNER or slug in care_partners()


def roles(slug: str) -> tuple[str, ...]:
    """The roles a member of this organisation may have."""
    return Role.AT_OWNER if slug == OWNER else Role.AT_PARTNERS


def name(slug: str, lang: str) -> str:
    if slug == OWNER:
        site = content().site
        return site.name.get(lang) or site.name["nl"]
    routing = content().routing
    partner = routing.partners.get(slug) if routing else None
    if partner is None:
        return slug
    return partner.name.get(lang) or partner.name["nl"]
