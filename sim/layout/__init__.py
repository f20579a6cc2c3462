"""Floor plans: loading, validation, walking distances and drawing.

This layer knows spaces, openings and points of interest; it knows nothing of clients or staff
beyond the two audiences of the walking network (``"client"`` keeps to public spaces).
"""

from typing import TYPE_CHECKING

from sim.layout.floor import (
    KNOWN_CATEGORIES,
    Floor,
    Opening,
    PointOfInterest,
    Space,
    default_access,
)
from sim.layout.load import floor_from_dict, load_floor
from sim.layout.network import (
    BODY_RADIUS,
    Audience,
    EdgeKey,
    WalkNetwork,
    build_walk_network,
    door_node,
    edge_key,
    poi_node,
)
from sim.layout.travel import (
    WALKING_SPEED,
    Routes,
    TravelDistances,
    clear_cache,
    routes_from,
    travel_distances,
    walk_network,
)
from sim.layout.validate import check_floor, check_references
from sim.lazy import lazy_exports

if TYPE_CHECKING:
    from sim.layout.draw import draw_floor, save_floor_image

__all__ = [
    "BODY_RADIUS",
    "KNOWN_CATEGORIES",
    "WALKING_SPEED",
    "Audience",
    "EdgeKey",
    "Floor",
    "Opening",
    "PointOfInterest",
    "Routes",
    "Space",
    "TravelDistances",
    "WalkNetwork",
    "build_walk_network",
    "check_floor",
    "check_references",
    "clear_cache",
    "default_access",
    "door_node",
    "draw_floor",
    "edge_key",
    "floor_from_dict",
    "load_floor",
    "poi_node",
    "routes_from",
    "save_floor_image",
    "travel_distances",
    "walk_network",
]


__getattr__ = lazy_exports(
    __name__, dict.fromkeys(("draw_floor", "save_floor_image"), "sim.layout.draw"), globals()
)
"""Drawing functions on first use: importing matplotlib costs a simulation nothing then."""
