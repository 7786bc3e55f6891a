"""Time-zone choices people can use: the zones of the practice's country first, then every
canonical zone by name (the browser's select jumps to what is typed). Never "Factory",
"localtime" or the legacy aliases."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import available_timezones

NOT_OFFERED = {"Factory", "localtime"}
# When the practice's own zone names no country (UTC): widely used zones.
WORLD_COMMON = ("UTC", "Europe/London", "America/New_York", "America/Chicago",
                "America/Denver", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata",
                "Asia/Tokyo", "Australia/Sydney")


def _read_tab(name: str) -> str:
    try:
        return (resources.files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        path = Path("/usr/share/zoneinfo") / name
        return path.read_text(encoding="utf-8") if path.exists() else ""


@lru_cache(maxsize=1)
def zone_table() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """zone -> (country code, region comment) from zone.tab; country code -> country name."""
    zones: dict[str, tuple[str, str]] = {}
    for line in _read_tab("zone.tab").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            zones[parts[2]] = (parts[0], parts[3] if len(parts) > 3 else "")
    countries = {}
    for line in _read_tab("iso3166.tab").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            countries[code] = name.strip()
    return zones, countries


@lru_cache(maxsize=1)
def _available() -> frozenset[str]:
    return frozenset(available_timezones())  # a scan of the zone files: once


def offered(zone: str) -> bool:
    return zone in _available() and zone not in NOT_OFFERED


def _label(zone: str, comment: str = "") -> str:
    name = zone.replace("_", " ")
    return f"{name} ({comment})" if comment else name


def grouped_choices(around: str | None, current: str | None = None) -> dict[str, list]:
    """{group label: [(zone, label)]}: the common zones of `around`'s country, then all."""
    zones, countries = zone_table()
    country = zones.get(around or "", ("", ""))[0]
    if country:
        common = [(z, _label(z, comment)) for z, (code, comment) in zones.items()
                  if code == country and offered(z)]
        title = f"Common in {countries.get(country, country)}"
    else:
        common = [(z, _label(z)) for z in WORLD_COMMON if offered(z)]
        title = "Common time zones"
    every = sorted({z for z in zones if offered(z)} | {"UTC"})
    if current and current not in every and offered(current):
        every = sorted([*every, current])
    return {title: common, "All time zones": [(z, _label(z)) for z in every]}
