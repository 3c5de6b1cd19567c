"""Rectangles in pixels with the checks the legibility tests make of placed labels."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.figures.common import Box


@dataclass(frozen=True)
class LabelBox(Box):
    """A ``Box`` that can say whether it overlaps another or lies inside one."""

    @classmethod
    def around(cls, x: float, y: float, width: float, height: float) -> LabelBox:
        return cls(x - width / 2, y - height / 2, x + width / 2, y + height / 2)

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.bottom < other.top
            and other.bottom < self.top
        )

    def inside(self, other: Box) -> bool:
        return (
            self.left >= other.left
            and self.right <= other.right
            and self.bottom >= other.bottom
            and self.top <= other.top
        )
