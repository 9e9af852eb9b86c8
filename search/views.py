from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .forms import SearchForm, page_number
from .selectors import search


def search_page(request):
    """`/<lang>/search/?q=…`: results the reader may open, in their language."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = SearchForm(request.GET)
    results = None
    query_text = request.GET.get("q", "")
    if form.is_valid():
        query_text = form.cleaned_data["q"]
        if query_text:
            results = search(
                request=request, text=query_text, page=page_number(request.GET.get("page"))
            )
    response = render(
        request,
        "search/search_page.html",
        {"form": form, "results": results, "query_text": query_text},
    )
    patch_cache_control(response, private=True)
    return response
