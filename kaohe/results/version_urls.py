"""URLs of the version pages, under /cycles/<cycle>/…"""

urlpatterns: list = []
