"""The trail plot of a work order: stamps and the service location's geofence on a small
SVG, projected locally (metres east and north of the service location), no map tiles."""

import math
from dataclasses import dataclass

from aftersales.tickets.models import Ticket, TicketStamp

SIZE = 320  # the SVG's viewBox is SIZE x SIZE
MARGIN = 24
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    stamp: TicketStamp
    number: int


@dataclass(frozen=True)
class Plot:
    size: int
    centre: tuple[float, float] | None  # the service location, if known
    fence_r: float  # the geofence circle's radius on the plot
    dots: list[Dot]
    path: str  # polyline points, in the order the stamps were taken
    scale_m: int  # length the scale bar stands for
    scale_px: float


def _nice(metres: float) -> int:
    for step in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000):
        if step >= metres:
            return step
    return 200_000


def plot(ticket: Ticket, stamps: list[TicketStamp], fence_m: int) -> Plot | None:
    if not stamps and ticket.service_latitude is None:
        return None
    if ticket.service_latitude is not None:
        origin = (float(ticket.service_latitude), float(ticket.service_longitude))
    else:
        origin = (float(stamps[0].latitude), float(stamps[0].longitude))
    cos_lat = math.cos(math.radians(origin[0]))

    def metres(stamp: TicketStamp) -> tuple[float, float]:
        east = (float(stamp.longitude) - origin[1]) * METRES_PER_DEGREE * cos_lat
        north = (float(stamp.latitude) - origin[0]) * METRES_PER_DEGREE
        return east, north

    points = [metres(stamp) for stamp in stamps]
    fence = fence_m if ticket.service_latitude is not None else 0
    reach = max([fence, 50.0] + [max(abs(e), abs(n)) for e, n in points]) * 1.1
    half = SIZE / 2 - MARGIN
    per_metre = half / reach
    ordered = sorted(zip(stamps, points, strict=True), key=lambda pair: pair[0].at)
    dots = [
        Dot(SIZE / 2 + east * per_metre, SIZE / 2 - north * per_metre, stamp, number)
        for number, (stamp, (east, north)) in enumerate(ordered, start=1)
    ]
    scale_m = _nice(reach / 3)
    return Plot(
        size=SIZE,
        centre=(SIZE / 2, SIZE / 2) if ticket.service_latitude is not None else None,
        fence_r=fence * per_metre,
        dots=dots,
        path=" ".join(f"{dot.x:.1f},{dot.y:.1f}" for dot in dots),
        scale_m=scale_m,
        scale_px=scale_m * per_metre,
    )
