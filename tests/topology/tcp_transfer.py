#!/usr/bin/env python3
"""One TCP transfer between the customer sites, checked end to end.

  tcp_transfer.py serve ADDR PORT          accept one connection, read to EOF
  tcp_transfer.py send ADDR PORT NBYTES    connect (retrying for 10 s), send NBYTES random bytes

Each side prints "<bytes> <sha256>" of what it read or sent, so the caller
compares the two lines: equal means nothing was lost, reordered or changed.
"""
import hashlib
import os
import socket
import sys
import time

CHUNK = 64 * 1024


def serve(addr, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((addr, port))
        listener.listen(1)
        listener.settimeout(60)
        conn, _ = listener.accept()
        digest, total = hashlib.sha256(), 0
        with conn:
            conn.settimeout(60)
            while True:
                data = conn.recv(CHUNK)
                if not data:
                    break
                digest.update(data)
                total += len(data)
    print(total, digest.hexdigest(), flush=True)


def connect(addr, port):
    deadline = time.monotonic() + 10
    while True:
        try:
            return socket.create_connection((addr, port), timeout=10)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def send(addr, port, nbytes):
    digest, left = hashlib.sha256(), nbytes
    with connect(addr, port) as conn:
        conn.settimeout(60)
        while left > 0:
            data = os.urandom(min(CHUNK, left))
            conn.sendall(data)
            digest.update(data)
            left -= len(data)
        conn.shutdown(socket.SHUT_WR)
        conn.recv(1)  # the server closes once it has read everything
    print(nbytes, digest.hexdigest(), flush=True)


def main(argv):
    if len(argv) == 4 and argv[1] == "serve":
        serve(argv[2], int(argv[3]))
    elif len(argv) == 5 and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]))
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
