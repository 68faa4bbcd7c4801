#!/usr/bin/env python3
"""A Rostrum webhook receiver that puts the speaker forward on a call platform.

Rostrum posts every floor event of a meeting here (docs/api.md, "Webhooks"). This receiver checks
each message's Standard Webhooks signature, ignores repeats (same webhook-id), and when the floor
goes to a remote speaker asks the call platform to spotlight them and to let them speak; when the
floor ends, to take the spotlight off. Python's standard library only.

    export ROSTRUM_WEBHOOK_SECRET=whsec_...      # shown once, when the endpoint was added
    python3 webhook_receiver.py --port 8090      # then add http://THIS-HOST:8090/ as the endpoint

Call platforms give "spotlight this participant" and "ask them to unmute" to a client that holds
the host's (or moderator's) controls rather than to a server-side REST call: on Jitsi Meet, the
moderator's page through the IFrame API (`api.executeCommand('pinParticipant', id)`,
`api.executeCommand('askToUnmute', id)`); on Zoom, an app built on the Meeting SDK running as
host or co-host (spotlight, request to unmute). So the receiver sends each action, in those terms,
to such a controller at CALL_CONTROL_URL (with CALL_CONTROL_TOKEN as a bearer token, if set).
Without CALL_CONTROL_URL it prints what it would send, so it can be tried against a demo meeting
with nothing else set up. Speakers are matched to call participants by name: the name on the
speaker's Rostrum link should be the one they join the call with.
"""

import argparse
import base64
import collections
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECS = 5 * 60
SEEN_KEPT = 10_000


def verify(secret, headers, body):
    """True when the headers carry a valid signature of body (bytes, as received) made within
    five minutes: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the secret's decoded key."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(time.time() - sent_at) > TOLERANCE_SECS:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for signature in signatures.split(" "):
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


class CallPlatform:
    """The call's host-side controller, or a printout of what it would be sent."""

    def __init__(self):
        self.url = os.environ.get("CALL_CONTROL_URL")
        self.token = os.environ.get("CALL_CONTROL_TOKEN")

    def send(self, action):
        if not self.url:
            print(f"would send to the call's controller: {json.dumps(action)}", flush=True)
            return
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, method="POST", data=json.dumps(action).encode(), headers=headers)
        with urllib.request.urlopen(request, timeout=5) as answer:
            answer.read()

    def give_floor(self, floor):
        # Jitsi: executeCommand('pinParticipant', id), then executeCommand('askToUnmute', id).
        # Zoom Meeting SDK: spotlight the participant's video, then ask them to unmute.
        self.send({"action": "spotlight", "participant_name": floor["speaker"]})
        self.send({"action": "ask_to_unmute", "participant_name": floor["speaker"]})

    def end_floor(self, floor):
        self.send({"action": "remove_spotlight", "participant_name": floor["speaker"]})


def act(platform, message):
    """What the bridge does for one message."""
    floor = message["data"].get("floor")
    kind = message["type"]
    if not floor:
        return
    speaker = floor["speaker"]
    on_behalf = floor.get("delegation") or floor.get("organisation") or ""
    print(f"{kind}: {speaker} ({on_behalf}, {floor['presence']}, {floor['language']})", flush=True)
    if floor["presence"] != "remote":
        return  # in the room: the room's microphones, not the call
    if kind == "floor.given":
        platform.give_floor(floor)
    elif kind == "floor.ended":
        platform.end_floor(floor)


class Handler(BaseHTTPRequestHandler):
    secret = ""
    platform = None
    seen = collections.OrderedDict()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if not verify(self.secret, headers, body):
            self.send_response(401)
            self.end_headers()
            return
        msg_id = headers["webhook-id"]
        # At least once: a message may come twice, always with the same id.
        if msg_id not in self.seen:
            self.seen[msg_id] = True
            if len(self.seen) > SEEN_KEPT:
                self.seen.popitem(last=False)
            try:
                act(self.platform, json.loads(body))
            except Exception as error:  # the platform failed: answer 5xx and Rostrum retries
                del self.seen[msg_id]
                print(f"could not act on {msg_id}: {error}", file=sys.stderr, flush=True)
                self.send_response(503)
                self.end_headers()
                return
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    secret = os.environ.get("ROSTRUM_WEBHOOK_SECRET")
    if not secret:
        sys.exit("set ROSTRUM_WEBHOOK_SECRET to the endpoint's secret (whsec_...)")
    Handler.secret = secret
    Handler.platform = CallPlatform()
    # One request at a time: Rostrum sends an endpoint's messages one after the other anyway.
    server = HTTPServer((args.host, args.port), Handler)
    print(f"listening on http://{args.host}:{args.port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
