# Arabic as Tadrib writes it (docs/learner-pages.md): Latin digits, as in the Maghreb and in
# Django's Arabic formats, with the decimal comma; "1 ديسمبر 2026" (no comma before the year),
# a 24-hour clock, and "70%" with the Latin percent sign (the sign that goes with Latin
# digits; "٪" belongs with Arabic-Indic digits, which the platform does not use). The sign is
# held between left-to-right marks, as Unicode's locale data (CLDR) writes it for Arabic with
# Latin digits: "70%" then reads the same in a sentence, a table cell, a <bdi> and the PDF.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# Not a Django format: read by cms.formatting.format_percent.
PERCENT_FORMAT = "{}\u200e%\u200e"
