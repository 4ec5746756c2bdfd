"""Looking into Dash component trees the way a user reads the page."""

from dash.development.base_component import Component


def walk(node):
    """Every component and string in the tree, depth first."""
    yield node
    children = getattr(node, "children", None) if isinstance(node, Component) else None
    if isinstance(node, list | tuple):
        children = node
    if children is None:
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        yield from walk(child)


def find(tree, component_id):
    """The component with this id, or None."""
    for node in walk(tree):
        if isinstance(node, Component) and getattr(node, "id", None) == component_id:
            return node
    return None


def text(tree) -> str:
    """All visible strings of the tree, space-separated."""
    return " ".join(str(n) for n in walk(tree) if isinstance(n, str | int | float))


def tile_value(tree, tile_id: str) -> str:
    """The big number of a KPI tile."""
    tile = find(tree, tile_id)
    assert tile is not None, f"tegel {tile_id} ontbreekt"
    return tile.children[1].children


def figuur_value(tree, key: str) -> str:
    """The text of the element that shows the registered figure key (data-figuur)."""
    for node in walk(tree):
        if isinstance(node, Component) and getattr(node, "data-figuur", None) == key:
            return node.children
    raise AssertionError(f"cijfer {key} staat niet op de pagina")


def drawn_deferred(page_module, tree, viewer):
    """The page with each part it defers (components.deferred) drawn as its callback would:
    for the values its placeholder kept."""
    kept = [
        n
        for n in walk(tree)
        if isinstance(n, Component)
        and isinstance(getattr(n, "id", None), dict)
        and n.id.get("type") == "uitgesteld-keuze"
    ]
    assert kept, "de pagina stelt niets uit"
    return [tree, *(page_module.DEFERRED[n.id["deel"]](viewer, n.data) for n in kept)]
