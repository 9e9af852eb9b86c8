"""Glossary terms for tests."""

from glossary.models import Term


def make_term(slug: str, en: str, fr: str, ar: str, **fields) -> Term:
    values = {
        "definition_en": f"Definition of {en}.",
        "definition_fr": f"Définition de {fr}.",
        "definition_ar": f"تعريف {ar}.",
    }
    values.update(fields)
    return Term.objects.create(slug=slug, term_en=en, term_fr=fr, term_ar=ar, **values)


def mla_term(**fields) -> Term:
    return make_term(
        "mutual-legal-assistance",
        "mutual legal assistance",
        "entraide judiciaire",
        "المساعدة القانونية المتبادلة",
        abbreviation_en="MLA",
        **fields,
    )


def preservation_term(**fields) -> Term:
    return make_term(
        "preservation-request",
        "preservation request",
        "demande de conservation",
        "طلب حفظ البيانات",
        variants_ar="طلب الحفظ\nطلب الاحتفاظ بالبيانات",
        **fields,
    )
