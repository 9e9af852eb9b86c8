"""Signals `workshops` sends. Certificates will listen; workshops never imports them."""

from django.dispatch import Signal

# Sent once per participant, after the transaction that first recorded their completion of a
# workshop commits, with keyword arguments `workshop`, `user` and `completed_at`.
workshop_completed = Signal()
