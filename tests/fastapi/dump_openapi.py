"""Writes the app's OpenAPI document to tests/fixtures/openapi/fastapi_app.json.

The fixture is what `app.py` serves at /openapi.json (`tests/tests/openapi_fastapi.rs`
checks that they are equal), with sorted keys, two-space indent and a trailing
newline. Rerun after changing app.py or the pinned versions, from the repository root:

    python3 tests/fastapi/dump_openapi.py
"""

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from app import app  # noqa: E402

TARGET = HERE.parent / "fixtures" / "openapi" / "fastapi_app.json"


def main():
    text = json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
