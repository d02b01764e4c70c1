"""The site plus pages that exist only to prove the browser gates work.

`/<lang>/fixture-broken` has an image without alt text, an image from another host and a table
wider than a phone: each gate must report it, found like any page by the URL map.
`/<lang>/fixture-low` puts its title below a phone's first screen, and
`/<lang>/fixture-exit-scrolls` has a quick exit that scrolls away with an old-style header.
`/<lang>/fixture-form` is a small form for the keyboard helper, and `/<lang>/fixture-wide-error`
a form whose error state is wider than a phone (as the callback form's consent box once was)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template_string, request

from uitweg import create_app

bp = Blueprint("fixture", __name__, url_prefix="/<lang:lang>")

BROKEN = """{% extends "base.html" %}
{% block title %}Broken{% endblock %}
{% block main %}
<h1>Broken on purpose</h1>
<img src="/static/favicon.svg">
<img src="https://third-party.invalid/pixel.png" alt="tracking pixel">
<table><tr><td>{{ "Breed" * 60 }}</td></tr></table>
{% endblock %}"""

LOW = """{% extends "base.html" %}
{% block title %}Low{% endblock %}
{% block main %}
{% for _ in range(12) %}
<p>Eerst een lange inleiding, zodat de titel pas laag op de pagina staat.</p>
{% endfor %}
<h1>Too far down</h1>
{% endblock %}"""

EXIT_SCROLLS = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Exit scrolls away</title>
  <link rel="stylesheet" href="{{ asset_url('css/site.css') }}">
</head>
<body>
  <div class="wrap header-row">
    <a class="quick-exit" href="https://www.google.nl/" data-quick-exit>Verlaat deze site</a>
  </div>
  <main class="wrap"><h1>Exit scrolls away</h1>
  {% for _ in range(80) %}<p>Een lange pagina.</p>{% endfor %}</main>
</body>
</html>"""

FORM = """{% extends "base.html" %}
{% block title %}{% if errors %}Fout: {% endif %}Demo form{% endblock %}
{% block main %}
<h1>Demo form</h1>
{% if sent %}<p id="confirmed">Sent: {{ sent }}</p>{% endif %}
<form method="post" action="{{ url_for('fixture.form') }}" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <p><label for="alias">Alias</label> <input id="alias" name="alias" value="{{ form.alias }}"></p>
  {% if errors %}<p id="alias-error">Fill in an alias.</p>{% endif %}
  <fieldset><legend>Contact by</legend>
    <p><input type="radio" id="route-call" name="route" value="call">
       <label for="route-call">Call</label></p>
    <p><input type="radio" id="route-sms" name="route" value="sms">
       <label for="route-sms">SMS</label></p>
  </fieldset>
  <p><label for="day">Day</label>
     <select id="day" name="day">
       <option value="mon">Monday</option><option value="tue">Tuesday</option>
     </select></p>
  <p><input type="checkbox" id="consent" name="consent" value="yes">
     <label for="consent">I agree</label></p>
  <p><button type="submit" class="button">Send</button></p>
</form>
{% endblock %}"""


@bp.get("/fixture-broken")
def broken() -> str:
    return render_template_string(BROKEN)


@bp.get("/fixture-low")
def low() -> str:
    return render_template_string(LOW)


@bp.get("/fixture-exit-scrolls")
def exit_scrolls() -> str:
    return render_template_string(EXIT_SCROLLS)


WIDE_ERROR = """{% extends "base.html" %}
{% block title %}Wide error{% endblock %}
{% block main %}
<h1>Wide error</h1>
<form method="post" action="{{ url_for('fixture.wide_error') }}" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <p><label for="name">Name</label> <input id="name" name="name"></p>
  {% if errors %}<table><tr><td>{{ "Breed" * 60 }}</td></tr></table>{% endif %}
  <p><button type="submit" class="button">Send</button></p>
</form>
{% endblock %}"""


@bp.route("/fixture-wide-error", methods=["GET", "POST"])
def wide_error() -> str:
    errors = request.method == "POST" and not request.form.get("name")
    return render_template_string(WIDE_ERROR, errors=errors)


@bp.route("/fixture-form", methods=["GET", "POST"])
def form() -> str:
    sent, errors = None, False
    if request.method == "POST":
        if request.form.get("alias"):
            keys = ("alias", "route", "day", "consent")
            sent = ", ".join(f"{k}={request.form.get(k, '')}" for k in keys)
        else:
            errors = True
    return render_template_string(FORM, form=request.form, sent=sent, errors=errors)


def add_fixture_pages(app: Flask) -> Flask:
    app.register_blueprint(bp)
    return app


def create() -> Flask:
    return add_fixture_pages(create_app())
