"""Staff: the people who log in. Organisations (the care partners and the site's owner), accounts
and roles, invitations, passwords and TOTP, login sessions (accounts.py, organisations.py,
sessions.py) know nothing of the web; access.py guards pages and views.py is the blueprint for
logging in, enrolling and the account page."""
