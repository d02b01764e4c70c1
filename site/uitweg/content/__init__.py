"""The content layer: content/ loaded, validated, rendered once and held in memory."""

from .loader import load_content
from .model import Content, Localized, Page, SiteSettings, Story
from .problems import ContentInvalid, Problem
from .store import ContentStore

__all__ = [
    "Content",
    "ContentInvalid",
    "ContentStore",
    "Localized",
    "Page",
    "Problem",
    "SiteSettings",
    "Story",
    "load_content",
]
