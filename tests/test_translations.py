"""Every text a person reads is translated into Dutch and English, and the catalogs are current."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from conftest import ROOT

TRANSLATIONS = ROOT / "translations"


def catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def source_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(
        ROOT / "site",
        method_map,
        options_map,
        keywords={
            "_": None,
            "_l": None,
            "N_": None,
            "gettext": None,
            "ngettext": (1, 2),
            "lazy_gettext": None,
        },
    )
    return {msgid if isinstance(msgid, str) else msgid[0] for _, _, msgid, _, _ in found}


def catalog_ids(lang: str) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_message_is_translated_and_not_fuzzy(lang: str) -> None:
    untranslated = [
        m.id
        for m in catalog(lang)
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]
    assert untranslated == [], f"{lang}: translate these in translations/{lang}/: {untranslated}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_catalog_holds_exactly_the_messages_in_the_code(lang: str) -> None:
    in_code = source_messages()
    in_catalog = catalog_ids(lang)
    assert in_code - in_catalog == set(), "run `flask translate update` and translate the new texts"
    assert in_catalog - in_code == set(), (
        "run `flask translate update` to drop texts no longer used"
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_placeholders_match_between_message_and_translation(lang: str) -> None:
    problems = [(m.id, errors) for m, errors in catalog(lang).check() if errors]
    assert problems == []


def test_the_template_file_is_current() -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert template == source_messages()


def test_dutch_really_differs_from_english() -> None:
    nl = {m.id: m.string for m in catalog("nl") if m.id and isinstance(m.id, str)}
    assert nl["Talk to someone"] == "Praat met iemand"
    same = {msgid for msgid, text in nl.items() if msgid == text and len(msgid) > 12}
    # Names of fellowships are the same in both; the fallback notice shows on English pages only;
    # "week 48" is Dutch as well as English.
    assert same == {
        "week %(week)d (%(days)s)",
        "This text is not available in English yet. Below is the Dutch version.",
        "Cocaine Anonymous (CA)",
        "Narcotics Anonymous (NA)",
        "SMART Recovery",
    }


def test_a_fresh_instance_folder_gets_compiled_catalogs(tmp_path: Path) -> None:
    from uitweg.i18n import compile_catalogs

    target = compile_catalogs(TRANSLATIONS, tmp_path)

    assert (target / "nl" / "LC_MESSAGES" / "messages.mo").stat().st_size > 0
    assert (target / "en" / "LC_MESSAGES" / "messages.mo").stat().st_size > 0


def test_two_processes_compiling_into_one_instance_folder_at_once_both_succeed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both write their file before either moves it into place (the browser tests start two
    gunicorns on one fresh clone); a shared temporary name made the second move fail."""
    import threading

    from uitweg import i18n

    both_writing = threading.Barrier(2, timeout=10)
    write_mo = i18n.write_mo

    def write_together(file, catalog) -> None:
        write_mo(file, catalog)
        both_writing.wait()

    monkeypatch.setattr(i18n, "write_mo", write_together)
    only_dutch = tmp_path / "source"
    (only_dutch / "nl" / "LC_MESSAGES").mkdir(parents=True)
    po = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
    (only_dutch / "nl" / "LC_MESSAGES" / "messages.po").write_bytes(po.read_bytes())
    failures: list[BaseException] = []

    def compile_once() -> None:
        try:
            i18n._compile(only_dutch, tmp_path / "instance")
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=compile_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    compiled = tmp_path / "instance" / "translations" / "nl" / "LC_MESSAGES"
    assert [p.name for p in compiled.iterdir()] == ["messages.mo"]
