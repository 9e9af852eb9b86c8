# English as Tadrib writes it (docs/learner-pages.md): "1 December 2026", "14:30", "70%".
# Only what differs from Django's own English formats is set here.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
# Not a Django format: read by cms.formatting.format_percent.
PERCENT_FORMAT = "{}%"
