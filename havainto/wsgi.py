import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havainto.settings")
application = get_wsgi_application()

# Import every view module when the worker starts, not on its first request: the URL
# configuration pulls in the text analysis (SciPy, Voikko), 2.6-4.4 s on a busy 2-core machine.
get_resolver().url_patterns  # noqa: B018 - the attribute access does the import
