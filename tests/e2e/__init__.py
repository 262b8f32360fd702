"""End-to-end tests. A package, so that its conftest is `e2e.conftest` and does not take the
place of tests/conftest.py, which the other suites import as `conftest`."""
