"""Interop check: the official Python client (stream-sea-client 0.7.0 from
PyPI) against streamsea-server.

Usage: python_client.py HOST PORT CLIENT_ID CLIENT_SECRET

Drives define_stream, describe_stream, get_schema_versions_vector and a
subscription through StreamSeaConnection. The client's own publish is broken
upstream in 0.7.0, so messages are published with a plain HTTP request,
gzip-compressed as the client sends its other bodies. Every step asserts what
it receives; the last line reports how many checks passed.
"""

import asyncio
import base64
import gzip
import json
import sys
import traceback

import requests
import stream_sea_client as ssc
from stream_sea_client.stream_sea_connection import CredentialsError

HOST, PORT, CLIENT_ID, CLIENT_SECRET = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
STREAM = "interop_boiler"
WAIT = 20  # seconds: an upper bound for any single wait

FIELDS = [
    {"name": "temperature", "type": "float"},
    {"name": "mode", "type": "enum", "enum": ["idle", "heating"]},
    {"name": "readings", "type": "array<object>", "fields": [{"name": "at", "type": "date"}]},
]

COMMON = dict(remote_host=HOST, remote_port=PORT, secure=False)
CREDS = dict(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def plain_publish(payload):
    """POST /streams/{stream}/publish with a gzip body, as the Python client would."""
    token = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    response = requests.post(
        f"http://{HOST}:{PORT}/api/v1/streams/{STREAM}/publish",
        data=gzip.compress(json.dumps({"payload": payload}).encode()),
        headers={
            "Content-encoding": "gzip",
            "Content-type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Basic {token}",
        },
        timeout=WAIT,
    )
    return response


def check_define_describe_versions():
    schema = ssc.SchemaDefinition(STREAM, "1", [dict(f) for f in FIELDS])
    response = ssc.define_stream(**COMMON, **CREDS, stream=STREAM, schema=schema)
    assert response.status_code == 200, (response.status_code, response.text)

    # the same definition again, fields in another order: accepted, nothing changes
    again = ssc.SchemaDefinition(STREAM, 1, list(reversed(FIELDS)))
    response = ssc.define_stream(**COMMON, **CREDS, stream=STREAM, schema=again)
    assert response.status_code == 200, (response.status_code, response.text)

    described = ssc.describe_stream(**COMMON, **CREDS, stream=STREAM)
    assert described is not None, "describe_stream returned None"
    assert described.name == STREAM, described.name
    assert described.version == 1, described.version
    key = lambda f: f["name"]  # noqa: E731
    assert sorted(described.fields, key=key) == sorted(FIELDS, key=key), described.fields

    missing = ssc.describe_stream(**COMMON, **CREDS, stream="no_such_stream")
    assert missing is None, missing

    versions = ssc.get_schema_versions_vector(**COMMON, **CREDS, streams=["no_such_stream", STREAM])
    assert versions == [None, 1], versions

    lower = ssc.SchemaDefinition(STREAM, "0", [])
    response = ssc.define_stream(**COMMON, **CREDS, stream=STREAM, schema=lower)
    assert response.status_code == 400, response.status_code
    assert response.json()["message"] == (
        f"The version pushed for the schema [{STREAM}] is [0] "
        "but there is already an older version defined [1]"
    ), response.text

    v2 = ssc.SchemaDefinition(STREAM, "2", [dict(f) for f in FIELDS])
    response = ssc.define_stream(**COMMON, **CREDS, stream=STREAM, schema=v2)
    assert response.status_code == 200, response.text
    versions = ssc.get_schema_versions_vector(**COMMON, **CREDS, streams=[STREAM])
    assert versions == [2], versions


def check_invalid_publish():
    response = plain_publish({"temperature": "hot", "mode": "Idle"})
    assert response.status_code == 400, response.status_code
    body = response.json()
    paths = sorted(e["path"] for e in body["errors"])
    assert paths == ["mode", "temperature"], body


async def check_subscription():
    loop = asyncio.get_running_loop()
    conn = await asyncio.wait_for(
        ssc.StreamSeaConnection(**COMMON, **CREDS), WAIT
    )
    try:
        messages = await asyncio.wait_for(conn.subscribe(STREAM), WAIT)
        first = {"temperature": 91.5, "mode": "heating"}
        batch = [
            {"temperature": 92, "readings": [{"at": "2024-02-29T10:00:00Z"}]},
            {"mode": "idle"},
        ]
        response = await loop.run_in_executor(None, plain_publish, first)
        assert response.status_code == 200, response.text
        response = await loop.run_in_executor(None, plain_publish, batch)
        assert response.status_code == 200, response.text
        received = []
        for _ in range(3):
            received.append(await asyncio.wait_for(messages.__anext__(), WAIT))
        assert received == [first] + batch, received
    finally:
        ws = await conn.ensure_ws
        await ws.close()


async def check_bad_credentials():
    try:
        await asyncio.wait_for(
            ssc.StreamSeaConnection(**COMMON, client_id=CLIENT_ID, client_secret="wrong"), WAIT
        )
    except CredentialsError:
        return
    raise AssertionError("a wrong secret was accepted")


def main():
    checks = [
        ("define, describe, versions vector", check_define_describe_versions),
        ("publish validation errors", check_invalid_publish),
        ("subscription through StreamSeaConnection", lambda: asyncio.run(check_subscription())),
        ("wrong credentials", lambda: asyncio.run(check_bad_credentials())),
    ]
    passed = failed = 0
    for name, check in checks:
        try:
            check()
            print(f"ok: {name}")
            passed += 1
        except Exception:  # report every failing check, then fail the run
            print(f"FAILED: {name}")
            traceback.print_exc()
            failed += 1
    print(f"interop: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
