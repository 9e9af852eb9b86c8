import factory
from django.contrib.auth.models import Group

from cms.models import Organisation, User
from cms.roles import GROUP_NAMES, Role

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Agency {n}")
    name_fr = factory.Sequence(lambda n: f"Service {n}")
    name_ar = factory.Sequence(lambda n: f"جهة {n}")
    country = "NE"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    preferred_language = "en"
    password = factory.django.Password(TEST_PASSWORD)
    role = None

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(role)]))
        return user


class LearnerFactory(UserFactory):
    role = Role.LEARNER


class TrainerFactory(UserFactory):
    role = Role.TRAINER


class ManagerFactory(UserFactory):
    role = Role.MANAGER
