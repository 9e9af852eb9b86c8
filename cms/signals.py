"""Signals the site shell sends; other apps listen, so cms never needs to know them."""

from django.dispatch import Signal

# Sent with `user`, inside the erasing transaction, once a person's personal data has been
# erased (security.privacy.learner_erase). Apps that keep copies of names clear them.
personal_data_erased = Signal()
