"""Geometry of the office map: Taiwan's outline and the offices as dots, drawn as inline SVG without any tile server.

The outline is a small list of coastal points shipped in `data/taiwan_outline.json`. Each part of the map is a
frame with its own equirectangular projection: the main island with Penghu, and two insets for Kinmen and Matsu,
which lie too far west and north to share one frame without shrinking Taiwan. Nothing here imports Django.
"""
from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from math import cos, radians
from pathlib import Path

OUTLINE_FILE = Path(__file__).resolve().parent / "data" / "taiwan_outline.json"


@dataclass(frozen=True)
class Frame:
    """A part of the map: a box of longitudes and latitudes drawn at (x, y) in the SVG, `scale` pixels a degree."""

    name: str
    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float
    x: float
    y: float
    scale: float  # Pixels per degree of latitude.
    inset: bool = False

    @property
    def x_scale(self) -> float:
        # A degree of longitude shrinks with the cosine of the latitude; the middle latitude keeps the shape true.
        return self.scale * cos(radians((self.lat_min + self.lat_max) / 2))

    @property
    def width(self) -> float:
        return (self.lon_max - self.lon_min) * self.x_scale

    @property
    def height(self) -> float:
        return (self.lat_max - self.lat_min) * self.scale

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.lat_min <= latitude <= self.lat_max and self.lon_min <= longitude <= self.lon_max

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        """Return the SVG coordinates of a point of this frame."""
        return (self.x + (longitude - self.lon_min) * self.x_scale,
                self.y + (self.lat_max - latitude) * self.scale)


MAIN = Frame("taiwan", lon_min=119.25, lon_max=122.15, lat_min=21.85, lat_max=25.40, x=0, y=0, scale=200)
# The insets sit in the open sea of the main frame's north-west corner, where the Taiwan Strait leaves room.
MATSU = Frame("matsu", lon_min=119.86, lon_max=120.06, lat_min=26.12, lat_max=26.26, x=10, y=10, scale=500,
              inset=True)
KINMEN = Frame("kinmen", lon_min=118.18, lon_max=118.50, lat_min=24.38, lat_max=24.55, x=10, y=110, scale=500,
               inset=True)
FRAMES = (MAIN, MATSU, KINMEN)
VIEW_WIDTH = round(MAIN.width)
VIEW_HEIGHT = round(MAIN.height)


def frame_for(latitude: float, longitude: float) -> Frame | None:
    """Return the frame that draws this point, or None when it lies outside every frame."""
    return next((frame for frame in FRAMES if frame.contains(latitude, longitude)), None)


@dataclass(frozen=True)
class Shape:
    name: str
    frame: Frame
    path: str  # SVG path data.


@cache
def outline() -> tuple[Shape, ...]:
    """Return every island of the outline as an SVG path in the frame that holds it."""
    shapes = []
    for shape in json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))["shapes"]:
        longitude, latitude = shape["points"][0]
        frame = frame_for(latitude, longitude)
        if frame is None:
            raise ValueError(f"The outline's {shape['name']} lies outside every frame of the map.")
        points = [frame.project(lat, lon) for lon, lat in shape["points"]]
        path = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z"
        shapes.append(Shape(name=shape["name"], frame=frame, path=path))
    return tuple(shapes)


@dataclass(frozen=True)
class Dot:
    key: Hashable
    x: float
    y: float


def place_dots(points: Iterable[tuple[Hashable, float, float]]) -> tuple[list[Dot], list[Hashable]]:
    """Place (key, latitude, longitude) points on the map; return the dots and the keys of points outside it."""
    dots, outside = [], []
    for key, latitude, longitude in points:
        frame = frame_for(latitude, longitude)
        if frame is None:
            outside.append(key)
            continue
        x, y = frame.project(latitude, longitude)
        dots.append(Dot(key=key, x=round(x, 1), y=round(y, 1)))
    return dots, outside
