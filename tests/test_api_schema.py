"""The API fuzzed from its own OpenAPI description: ``communique serve`` on 127.0.0.1 over a small
coded store, and schemathesis (``st run``) generating requests for every endpoint from
/openapi.json, valid ones and invalid ones, a bounded number per endpoint.

Every check runs but ``positive_data_acceptance``: a request the description allows may still
get a 400 when ``since`` is after ``until``, a constraint between two parameters that OpenAPI
cannot express (the 400 is declared). So: no 5xx, every status code declared, every answer of
the declared content type and conforming to its schema, unsupported methods refused.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from conftest import coded_store, serving

pytest.importorskip("schemathesis", reason="schemathesis (the test extra) fuzzes the API")

EXAMPLES = 25  # per endpoint and phase: about 1,000 requests in all, under a minute
SEED = 7


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The base URL of ``communique serve`` over a coded store, and one stored event."""
    folder = tmp_path_factory.mktemp("fuzz")
    with serving(coded_store(folder), folder / "serve.log") as base:
        yield base, get_json(base + "/api/events?limit=1")["rows"][0]


def test_api_conforms_to_its_openapi_description_under_fuzzing(server, tmp_path):
    base, event = server
    config = tmp_path / "schemathesis.toml"  # a stored event's article for the event endpoint, not only 404s
    config.write_text('[[operations]]\ninclude-name = "GET /api/events/{article_id}/{event_no}"\n'
                      f'parameters = {{ article_id = {json.dumps(event["article_id"])} }}\n')
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", f"{base}/openapi.json",
               "--max-examples", str(EXAMPLES), "--seed", str(SEED), "--exclude-checks", "positive_data_acceptance",
               "--continue-on-failure", "--generation-database", "none", "--request-timeout", "20", "--no-color"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    generated = re.search(r"(\d+) generated, (\d+) passed", output)
    assert done.returncode == 0 and generated, output[-6000:]
    assert generated[1] == generated[2] and int(generated[1]) >= 18 * EXAMPLES, output[-3000:]
    assert "Selected: 18/18" in output and "Tested: 18" in output, output[-3000:]
    print(f"schemathesis: {generated[1]} requests generated, all passed")
