"""Is this plan drawn in metres? The extent of a floor tells degrees, millimetres and kilometres.

Every format ends as coordinates that officesim reads as metres. A plan exported in
longitude/latitude degrees spans a few ten-thousandths of a unit, one in millimetres or
centimetres spans kilometres, and either would run with absurd walking times; so the extent of
every floor is checked, and a message says which unit was assumed and which one the drawing
seems to use.
"""

from __future__ import annotations

from sim.errors import Problem
from sim.layout.floor import Floor
from sim.layout.geometry import looks_like_degrees

MAX_EXTENT_M = 2_000.0
"""The widest floor officesim accepts: a 2 km building is a unit mistake, not an office."""
MIN_EXTENT_M = 2.0
"""The narrowest: a floor less than 2 m across cannot hold a desk and a client."""

UNIT_GUESSES = (("millimetres", 1000.0), ("centimetres", 100.0), ("inches", 39.37))
HOW_TO_FIX = (
    "give the plan in metres: in a shorthand plan write the coordinates in metres, export "
    "GeoJSON in a projected metre CRS, set the DXF drawing units ($INSUNITS), or ship IMDF in "
    "longitude/latitude"
)


def extent_problems(floor: Floor, source: str) -> list[Problem]:
    """A problem when the floor's extent is implausible for metres, naming the likely unit."""
    if not floor.spaces:
        return []
    bounds = floor.bounds
    width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
    size = f"{width:,.5g} x {height:,.5g}"
    if looks_like_degrees(bounds):
        return [
            Problem(
                source,
                "",
                f"the plan spans {size} units and its coordinates look like longitude/latitude "
                f"degrees; officesim assumed metres (a floor of {size} m); {HOW_TO_FIX}",
            )
        ]
    longest = max(width, height)
    if longest > MAX_EXTENT_M:
        guess = _likely_unit(longest)
        return [
            Problem(
                source,
                "",
                f"the plan spans {size} m (officesim assumed metres), wider than any office "
                f"({MAX_EXTENT_M:,.0f} m); it looks drawn in {guess}; {HOW_TO_FIX}",
            )
        ]
    if longest < MIN_EXTENT_M:
        return [
            Problem(
                source,
                "",
                f"the plan spans only {size} m (officesim assumed metres), too small for an "
                f"office (at least {MIN_EXTENT_M:g} m); it looks drawn in kilometres or "
                f"degrees; {HOW_TO_FIX}",
            )
        ]
    return []


def _likely_unit(longest: float) -> str:
    """The unit in which ``longest`` metres would be a plausible office (10-500 m across)."""
    for name, per_metre in UNIT_GUESSES:
        if 10 <= longest / per_metre <= 500:
            return f"{name} ({longest / per_metre:,.0f} m across if so)"
    return "a unit other than metres"
