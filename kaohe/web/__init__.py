"""The web platform: settings, URLs, base templates and the static build."""
