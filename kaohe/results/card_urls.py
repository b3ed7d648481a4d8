"""URLs of the card pages, under /cycles/<cycle>/…"""

urlpatterns: list = []
