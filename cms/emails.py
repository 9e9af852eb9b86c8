"""Mail the platform sends, each message from one function taking plain values (ids, text), so
that it can run unchanged as a background task. Sent through the backend `EMAIL_URL` sets up
(docs/security.md, "Mail"), in the recipient's own language."""

from urllib.parse import urljoin

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User
from .tokens import password_reset_tokens, reset_link_hours


def password_reset_email_send(*, user_id: int, base_url: str) -> bool:
    """Mail user `user_id` a single-use link to choose a new password, in their language.

    `base_url` is the site's address as the person asking reached it. Returns False, sending
    nothing, when the account is gone, inactive or has no address. SMTP errors propagate.
    """
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    language = user.preferred_language
    with translation.override(language):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": password_reset_tokens.make_token(user),
            },
        )
        context = {
            "user": user,
            "url": urljoin(base_url, path),
            "hours": reset_link_hours(),
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        }
        subject = " ".join(
            render_to_string("registration/password_reset_subject.txt", context).split()
        )
        text = render_to_string("registration/password_reset_email.txt", context)
        html = render_to_string("registration/password_reset_email.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[user.email], headers={"Content-Language": language}
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True
