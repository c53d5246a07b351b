"""Browser fixtures (Playwright driving Debian's chromium, axe-core from npm). Filled in by
the browser-test work; kept as a plugin so that conftest.py stays small."""
