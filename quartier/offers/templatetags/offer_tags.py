from django import template

from quartier.offers.presentation import weekday_name

register = template.Library()


@register.filter
def weekday(number: int | None) -> str:
    """0 → Montag/Monday."""
    return weekday_name(number)
