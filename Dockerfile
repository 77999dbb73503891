# ecslint in a container, built from this checkout (docs/ci.md, "A container image"):
#
#   docker build -t ecslint .
#   docker run --rm -v "$PWD:/src" ecslint check --format gitlab --output gl-code-quality-report.json .
#
# tests/test_docs_ci.py runs the RUN steps below (the same pip command) in a fresh
# virtual environment and lints examples/ with what they installed.
FROM python:3.12-slim

COPY pyproject.toml README.md /build/ecslint/
COPY linter /build/ecslint/linter
COPY rules /build/ecslint/rules
COPY schemas /build/ecslint/schemas
RUN python -m pip install --no-cache-dir /build/ecslint && rm -rf /build

# Mount the repository here: paths in the reports are relative to the working directory.
WORKDIR /src
ENTRYPOINT ["ecslint"]
CMD ["check", "."]
