"""SMS campaigns in content/campaigns/: one markdown file per campaign and language.

The landing text is the body. The code is what the SMS link ends in (`/s/<code>`), the same for
every recipient: there is deliberately no way to give one person their own link.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from . import routing
from .frontmatter import Document
from .model import DEFAULT_LANGUAGE, Campaign
from .problems import N_, Problem, problem
from .schema import Reporter, text

# Short enough to type from an SMS; ASCII only, so look-alike letters never match a real code.
CODE_RE = re.compile(r"^[a-z0-9]{2,16}$")


def campaign_code(value: Any) -> tuple[Any, str | None]:
    cleaned, error = text(value)
    if error is None and CODE_RE.match(cleaned.lower()):
        return cleaned.lower(), None
    return None, N_("must be 2 to 16 letters (a-z) and digits, e.g. vs2611")


class CampaignBuilder(Reporter):
    def build(self, doc: Document, values: dict[str, Any], lang: str) -> Campaign | None:
        ok = True
        if values["municipality"] not in self.site.municipalities:
            known = ", ".join(self.site.municipalities)
            self.error(doc, "municipality", N_("municipality must be one of {known}"), known=known)
            ok = False
        values["active_from"] = values["active_from"] or values["sent"]
        if values["active_until"] and values["active_until"] < values["active_from"]:
            self.error(doc, "active_until", N_("'active_until' must not be before 'active_from'"))
            ok = False
        if not ok:
            return None
        return Campaign(lang=lang, source=doc.path, publish=None, expires=None, **values)


def by_code(
    by_slug: dict[str, dict[str, Campaign]], problems: list[Problem]
) -> dict[str, dict[str, Campaign]]:
    """Campaigns keyed by their code; a code used twice is an error in the second file."""
    found: dict[str, dict[str, Campaign]] = {}
    for versions in by_slug.values():
        primary = versions[DEFAULT_LANGUAGE]
        if primary.code in found:
            other = found[primary.code][DEFAULT_LANGUAGE].source
            template = N_("code '{code}' is also used by {other}")
            problems.append(problem(primary.source, 1, template, code=primary.code, other=other))
            continue
        found[primary.code] = versions
    return found


def preference_rules(
    campaigns: dict[str, dict[str, Campaign]],
    rules: routing.Routing,
    problems: list[Problem],
) -> routing.Routing:
    """A campaign's `partner` goes before the rules in partners.yaml: requests that came through
    the campaign, about a topic that partner handles, from a place it serves, go to it. Others
    route as usual."""
    preferred = []
    for code, versions in sorted(campaigns.items()):
        campaign = versions[DEFAULT_LANGUAGE]
        if campaign.partner is None:
            continue
        partner = rules.partners.get(campaign.partner)
        if partner is None:
            template = N_("partner '{partner}' is not in partners.yaml")
            problems.append(problem(campaign.source, 1, template, partner=campaign.partner))
            continue
        preferred.append(
            routing.Rule(
                name=f"campaign-{code}",
                partner=partner.slug,
                note=f"set by the campaign {campaign.source.name}",
                topics=frozenset(partner.topics) or None,
                municipalities=frozenset(partner.area) or None,
                campaigns=frozenset({code}),
            )
        )
    return dataclasses.replace(rules, rules=(*preferred, *rules.rules))
