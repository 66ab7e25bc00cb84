#!/usr/bin/python3
"""A local SMTP receiver for Patrol's mail tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a port the system picks and writes each message it accepts to the
folder given: NNNN.eml (the bytes as received) and NNNN.json (envelope sender and recipients),
complete before the 250 reply, so a sendmail that has exited 0 has been fully received. Prints

    READY port=P refused=R silent=S

where R is a port that refuses connections (bound, never listening) and S one that accepts
connections and never answers. Exits when its stdin closes (the test process has ended).
"""
import asyncio
import json
import os
import socket
import sys

from aiosmtpd.smtp import SMTP


class Keep:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%04d" % self.count)
        with open(base + ".json.tmp", "w") as meta:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, meta)
        with open(base + ".eml.tmp", "wb") as message:
            message.write(envelope.original_content)
        os.rename(base + ".json.tmp", base + ".json")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted"


async def main(folder):
    loop = asyncio.get_running_loop()
    handler = Keep(folder)
    server = await loop.create_server(lambda: SMTP(handler), host="127.0.0.1", port=0)
    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    print("READY port=%d refused=%d silent=%d" % (server.sockets[0].getsockname()[1],
                                                  refused.getsockname()[1], silent.getsockname()[1]), flush=True)
    closed = loop.create_future()

    def read_stdin():
        if not os.read(sys.stdin.fileno(), 4096) and not closed.done():
            closed.set_result(None)

    loop.add_reader(sys.stdin.fileno(), read_stdin)
    await closed
    server.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
