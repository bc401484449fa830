"""The product's URLs plus the two baselines of docs/performance.md (bench only)."""

from django.urls import path

from bench.search import views
from quartier.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/hello", views.hello),
    path("bench/fts", views.fts),
    *product_urlpatterns,
]
