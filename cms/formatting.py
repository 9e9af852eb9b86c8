"""Numbers and percentages written one way per language, everywhere (docs/learner-pages.md).

Dates go through Django's localisation (`|date:"DATE_FORMAT"`, `formats.date_format`) with the
formats in `cms/formats/<language>/formats.py`; percentages through `format_percent` here (or
the `percent` filter of `{% load tadrib_formats %}`), which reads the same modules'
`PERCENT_FORMAT`. No template writes a "%" of its own.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import get_format_modules, number_format

DEFAULT_PERCENT_FORMAT = "{}%"


def percent_pattern(language: str | None = None) -> str:
    """The language's percentage pattern: `{}` is where the number goes."""
    language = language or translation.get_language()
    for module in get_format_modules(language):
        pattern = getattr(module, "PERCENT_FORMAT", None)
        if pattern:
            return pattern
    return DEFAULT_PERCENT_FORMAT


def format_number(value, decimal_pos: int | None = None) -> str:
    """`value` with the language's decimal separator. A negative `decimal_pos` works as in
    `floatformat`: that many decimals, none when the value is whole (80, 66.67)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if decimal_pos is not None and decimal_pos < 0:
        decimal_pos = 0 if number == number.to_integral_value() else -decimal_pos
    if decimal_pos is not None:
        # Django's number_format cuts the extra decimals; round half up as scores are.
        number = number.quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    return number_format(number, decimal_pos=decimal_pos, use_l10n=True)


def format_percent(value, decimal_pos: int | None = 0) -> str:
    """`value` (already a percentage, 0–100) as the reader's language writes it:
    "70%" (en), "70 %" with a narrow no-break space (fr), "70%" (ar); "" for None."""
    if value is None or value == "":
        return ""
    return percent_pattern().format(format_number(value, decimal_pos))
