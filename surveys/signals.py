"""What the surveys app tells the apps built on it.

`response_saved` is sent with `survey`, `response` and `user` inside the transaction that
writes a response (created or changed), so a receiver's own rows commit or roll back with it.
The user is passed in memory only, for the receiver to find the group the response belongs to
(workshops: the workshop the person takes part in); nothing of the surveys app stores the link
for an anonymous survey, and receivers must not store the person either.
"""

from django.dispatch import Signal

response_saved = Signal()
