# French as Tadrib writes it (docs/learner-pages.md): "1 décembre 2026", "14:30", "70,5 %"
# with a narrow no-break space before the sign (U+202F), as the Imprimerie nationale sets it.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
# Not a Django format: read by cms.formatting.format_percent.
PERCENT_FORMAT = "{}\u202f%"
