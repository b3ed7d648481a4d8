"""Half-year problems (整改), under /cycles/<cycle>/problems/…"""

urlpatterns: list = []
