#!/usr/bin/env python3
"""Start-up figure for scripts/aot-smoke.sh: starts a host binary, then, polling the port every millisecond, sends one
prepared callback as soon as the host accepts connections and retries until it is answered 200. Prints the milliseconds
from just before the process was started to the first 200 reply, and leaves the host running (its pid on the second line).

usage: first-callback.py <port> <path-and-query> <body> <log file> <command...>   (environment passes through)"""
import http.client
import os
import socket
import subprocess
import sys
import time

port, path, body, log = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
command = sys.argv[5:]
with open(log, "wb") as out:
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
deadline = started + 10
while time.monotonic() < deadline:
    if process.poll() is not None:
        sys.exit(f"the host exited with code {process.returncode} before answering")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("POST", path, body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status == 200:
            print(round((time.monotonic() - started) * 1000))
            print(process.pid)
            sys.exit(0)
    except (ConnectionRefusedError, ConnectionResetError, socket.timeout, http.client.HTTPException, OSError):
        pass
    time.sleep(0.001)
process.kill()
sys.exit("the host did not answer within 10 s")
