"""Photos uploaded in the editors' area: only pixels reach the site (no GPS, no camera, no
time), in the widths the story page uses, and anything that is not a usable photo is refused
with a clear message and nothing saved."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from conftest import make_app
from editor.test_editor_area import ITEM, PUBLIC, newest_id, propose
from partners.staff import START, csrf, staff_member
from uitweg import db
from uitweg.models import ContentVersion, MediaFile

GPS_IFD = 0x8825


def phone_photo(width: int = 1600, height: int = 1200, fmt: str = "JPEG") -> bytes:
    """A photo as a phone writes it: GPS position, camera make and time in its EXIF data."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:20 21:14:03"  # DateTime
    exif[GPS_IFD] = {1: "N", 2: (52.0, 30.0, 36.0), 3: "E", 4: (6.0, 5.0, 30.0)}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    data = out.getvalue()
    assert b"PhoneMaker" in data  # the test photo really carries it
    return data


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=START)


@pytest.fixture
def editor(app):
    return staff_member(app, "owner", "eva@example.org", "editor", admitted=False)


def upload(
    member,
    data: bytes,
    filename: str = "IMG_2041.jpg",
    alt: str = "Ahmed bij de rivier",
    item: str = ITEM,
):
    page = member.client.get(item).get_data(as_text=True)
    base = re.search(r'name="base" value="(\d*)"', page)[1]
    return member.client.post(
        item + "/image",
        data={
            "csrf_token": csrf(page),
            "alt": alt,
            "base": base,
            "image": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def counts(app) -> tuple[int, int]:
    with app.app_context(), db.session() as session:
        return (
            session.scalar(select(func.count(ContentVersion.id))),
            session.scalar(select(func.count(MediaFile.name))),
        )


def test_an_uploaded_phone_photo_is_served_without_any_metadata(app, editor) -> None:
    response = upload(editor, phone_photo())
    assert response.status_code == 303, response.get_data(as_text=True)
    edit = editor.client.get(ITEM + "/edit?as=text").get_data(as_text=True)
    name = re.search(
        r"image: \{src: (img-2041-[0-9a-f]{8}\.jpg), alt: &#34;Ahmed bij de rivier", edit
    )[1]
    for served_name, width in ((name, 960), (name.replace(".jpg", "-480.jpg"), 480)):
        served = app.test_client().get(f"/media/{served_name}")
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert "immutable" in served.headers["Cache-Control"]
        data = served.get_data()
        image = Image.open(io.BytesIO(data))
        assert image.width == width
        assert not image.getexif() and "exif" not in image.info
        assert not {"icc_profile", "xmp", "comment"} & set(image.info)
        for trace in (b"Exif", b"PhoneMaker", b"2026:11:20", b"GPS"):
            assert trace not in data, trace


def test_a_published_photo_shows_in_the_story_with_its_widths_and_alt_text(app, editor) -> None:
    publisher = staff_member(app, "owner", "piet@example.org", "publisher", admitted=False)
    assert upload(editor, phone_photo()).status_code == 303
    assert propose(editor).status_code == 303
    response = publisher.post(ITEM + "/approve", page=ITEM, version=newest_id(editor))
    assert response.status_code == 303
    page = app.test_client().get(PUBLIC).get_data(as_text=True)
    image = re.search(r'<img class="story-image"[^>]*>', page)[0]
    assert 'alt="Ahmed bij de rivier"' in image
    assert re.search(
        r'srcset="/media/img-2041-\w+-480\.jpg 480w, /media/img-2041-\w+\.jpg 960w"', image
    )
    assert 'width="960" height="720"' in image


def test_a_page_takes_a_photo_too_with_its_own_words_in_english(app, editor) -> None:
    item = "/beheer/pages/getting-out"
    alt = "Twee jongeren op een bankje"
    assert upload(editor, phone_photo(), alt=alt, item=item).status_code == 303
    preview = editor.client.get(item + "/preview/nl").get_data(as_text=True)
    assert re.search(rf'<img class="story-image"[^>]*alt="{alt}"', preview)
    # The page's form asks for the photo's words, also in English.
    form = editor.client.get(item + "/edit").get_data(as_text=True)
    assert f'value="{alt}"' in form and 'name="en_image_alt"' in form
    english = editor.client.get(item + "/preview/en").get_data(as_text=True)
    assert re.search(rf'<img class="story-image"[^>]*alt="{alt}"', english)  # until translated
    assert editor.client.post("/beheer/campaigns/heideveen-juni-2026/image").status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"not a picture at all", "foto.jpg", "geen JPEG-, PNG- of WebP-foto"),
        (b"GIF89a" + b"\x00" * 40, "animatie.gif", "geen JPEG-, PNG- of WebP-foto"),
        (phone_photo(40, 30)[:200], "kapot.jpg", "geen JPEG-, PNG- of WebP-foto"),
        (b"", "leeg.jpg", "Kies een foto om te uploaden"),
    ],
)
def test_what_is_not_a_usable_photo_is_refused_and_nothing_is_saved(
    app, editor, data: bytes, filename: str, message: str
) -> None:
    before = counts(app)
    response = upload(editor, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_decompression_bomb_is_refused(app, editor) -> None:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 144 million pixels in a few KB
    assert len(out.getvalue()) < 100_000
    response = upload(editor, out.getvalue(), "klein.png")
    assert response.status_code == 400
    assert "te veel pixels" in response.get_data(as_text=True)
    assert counts(app)[1] == 0


def test_an_oversize_upload_gets_a_message_not_an_error_page(app, editor) -> None:
    response = upload(editor, b"\xff\xd8\xff" + b"\x00" * (13 * 1024 * 1024))
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)
    assert counts(app)[1] == 0


def test_alt_text_is_required_and_must_say_what_the_photo_shows(app, editor) -> None:
    for alt in ("", "IMG_2041.jpg", "foto"):
        response = upload(editor, phone_photo(), alt=alt)
        assert response.status_code == 400, alt
        assert "wat er op de foto staat" in response.get_data(as_text=True)
    assert counts(app)[1] == 0


def test_an_upload_without_the_form_token_is_refused(app, editor) -> None:
    response = editor.client.post(
        ITEM + "/image",
        data={"alt": "Ahmed bij de rivier", "image": (io.BytesIO(phone_photo()), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert counts(app)[1] == 0
