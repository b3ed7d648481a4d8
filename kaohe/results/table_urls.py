"""URLs of the table pages, under /cycles/<cycle>/…"""

urlpatterns: list = []
