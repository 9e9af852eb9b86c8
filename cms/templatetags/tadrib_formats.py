"""`{% load tadrib_formats %}`: the one way to write a percentage in a template."""

from django import template

from cms.formatting import format_percent

register = template.Library()


@register.filter
def percent(value, decimal_pos=0) -> str:
    """`{{ 70|percent }}` → "70%" / "70 %" / "70%"; `{{ score|percent:2 }}` → "66.67%";
    `{{ grade|percent:"-2" }}` drops the decimals of a whole number. Empty for None."""
    return format_percent(value, int(decimal_pos))
