"""The packaged API's tests: they run against the installed wheel (its binary, module and
pytest plugin), never the source tree; `packages/test.sh` installs it in a fresh venv."""

pytest_plugins = ["pytester"]
