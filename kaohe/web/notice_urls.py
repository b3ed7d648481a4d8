"""In-app notices."""

urlpatterns: list = []
