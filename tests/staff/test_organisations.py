"""Staff belong to one organisation: a care partner (who handle requests) or the site's owner,
the municipality (whose analysts read the statistics)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("organisation", "role", "allowed"),
    [
        ("owner", "analyst", True),
        ("kompas", "coordinator", True),
        ("kompas", "analyst", False),
        ("owner", "staff", False),
        ("owner", "admin", False),
        ("gemeente", "analyst", False),
    ],
)
def test_an_invitation_fits_the_organisation(app, organisation, role, allowed) -> None:
    result = app.test_cli_runner().invoke(
        args=["partners", "invite", organisation, "someone@example.org", "--role", role]
    )
    assert (result.exit_code == 0) == allowed, result.output
    if allowed:
        assert "/partner/enrol/" in result.output
    else:
        assert "/partner/enrol/" not in result.output


def test_the_site_owners_analyst_sees_statistics_and_no_requests(app) -> None:
    from partners.staff import staff_member

    analyst = staff_member(app, "owner", "cijfers@gemeente.example", "analyst")
    assert analyst.client.get("/partner/stats").status_code == 200
    assert analyst.client.get("/partner/").status_code == 403
    account = analyst.client.get("/partner/account").get_data(as_text=True)
    site_name = app.extensions["content"].content.site.name["nl"]
    assert f"<dd>{site_name}</dd>" in account  # the organisation is the site's owner
