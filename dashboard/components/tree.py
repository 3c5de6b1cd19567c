"""Walk a layout: every component in it, its children's children included."""

from __future__ import annotations

from collections.abc import Iterator

from dash.development.base_component import Component


def components_in(layout) -> Iterator[Component]:
    """Each component in ``layout`` (a component, or a list of them), without recursion."""
    stack = [layout]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, Component):
            yield item
            children = getattr(item, "children", None)
            if children is not None:
                stack.append(children)
