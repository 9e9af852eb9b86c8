"""Question banks in and out of Tadrib: Moodle XML and GIFT (docs/question-import.md).

- `common.py`: the neutral form both formats read into and write from (`BankQuestion`: a
  question in `tadrib.course/1` package form, with its name, category path and image), the
  import report's notes, and the text helpers the formats share. Pure.
- `multilang.py`: Moodle's multi-language markers split into the English, French and Arabic
  texts, and written back. Pure.
- `moodle_xml.py`, `gift.py`: parse and write each format. Pure: no database, tested without.
- `services.py`: import (one transaction, or a dry run that writes nothing) and export.
"""
