"""Havainto: social reporting (sosiaalinen raportointi) for Finnish wellbeing services counties."""
