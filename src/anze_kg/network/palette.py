"""Colours of the classes, grouped by kind: places in blues, organisations in
oranges, works and sites in greens, programmes and documents in purples, the
economy's products and sectors in browns, figures in greys; any other class in
pinks.  Within a kind each class gets its own shade (the most frequent the
strongest), so no two classes of a graph share a colour and a reader sees the
kind before the class.
"""

from __future__ import annotations

import colorsys

KINDS: dict[str, tuple[float, tuple[str, ...]]] = {  # kind -> (hue, its classes)
    "places": (0.58, ("County", "Village", "Town", "City", "Province", "Country", "Region", "Locality",
                      "DevelopmentZone", "District")),
    "organisations": (0.02, ("Enterprise", "Organization", "Institution", "School", "Person")),
    "works": (0.33, ("Project", "Facility", "Road", "Base", "Homestay", "ScenicArea", "HistoricSite",
                     "TourRoute")),
    "programmes": (0.78, ("Program", "Designation", "PolicyDocument", "Event", "CreativeWork")),
    "economy": (0.14, ("Product", "Brand", "Sector", "IndustryChain", "ProgramDomain")),
    "figures": (-1.0, ("Indicator", "Observation")),
}
OTHER_HUE = 0.92
KIND_OF = {c: kind for kind, (_, classes) in KINDS.items() for c in classes}
ORDER = list(KINDS) + ["other"]


def _shade(hue: float, i: int, n: int) -> str:
    """The i-th of n shades of a hue, dark and saturated to light (a hue below 0: greys)."""
    t = i / max(1, n - 1)
    lightness = 0.32 + 0.38 * t
    saturation = 0.0 if hue < 0 else 0.75 - 0.25 * t
    r, g, b = colorsys.hls_to_rgb(max(hue, 0.0), lightness, saturation)
    return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))


def kind_of(cls: str) -> str:
    return KIND_OF.get(cls, "other")


def grouped_colours(counts: dict[str, int]) -> dict[str, str]:
    """A distinct colour per class of ``counts`` (class -> nodes), in legend order:
    kind by kind, the most frequent class first within each."""
    by_kind: dict[str, list[str]] = {k: [] for k in ORDER}
    for cls in sorted(counts, key=lambda c: (-counts[c], c)):
        by_kind[kind_of(cls)].append(cls)
    colours: dict[str, str] = {}
    for kind in ORDER:
        members = by_kind[kind]
        hue = KINDS[kind][0] if kind in KINDS else OTHER_HUE
        for i, cls in enumerate(members):
            colours[cls] = _shade(hue, i, max(len(members), 4))
    return colours
