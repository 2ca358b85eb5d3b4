"""How customer and product codes read to people, for this module's pages and the modules
that show products (outlets' categories served, training's qualification rules)."""

from aftersales.customers.models import ProductCategory

__all__ = ["CATEGORY_LABELS", "ProductCategory", "category_label", "category_options"]

CATEGORY_LABELS = ProductCategory.labels()


def category_label(code: str) -> str:
    """A product category in words; a code from before the vocabulary, as it was typed."""
    return str(CATEGORY_LABELS.get(code, code))


def category_options() -> list[tuple[str, str]]:
    """The categories to choose from, for a select or checkboxes: (code, words)."""
    return [(code, str(label)) for code, label in CATEGORY_LABELS.items()]
