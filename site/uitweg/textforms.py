"""The base of every form on the site: it reads only the posted text fields.

Flask-WTF also feeds a form with uploaded files and JSON bodies under the fields' names, so a
file part or a JSON number called "alias" reached validators written for text, and gave a 500.
No form here takes a file or JSON: such a part is simply not the field.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm


class TextForm(FlaskForm):
    class Meta:
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            wrapped = FlaskForm.Meta.wrap_formdata(self, form, formdata)
            if wrapped is None or wrapped is formdata:
                return wrapped  # nothing was sent, or the view chose the data itself
            return request.form
