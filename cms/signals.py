from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction

from .models import VIEW_RESTRICTIONS_CACHE_KEY


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def forget_view_restriction_flag(sender, **kwargs):
    cache.delete(VIEW_RESTRICTIONS_CACHE_KEY)
