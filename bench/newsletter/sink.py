"""A local SMTP sink of several processes (aiosmtpd's SMTP with its Sink handler, which keeps
nothing): each process listens on the same port with SO_REUSEPORT and the kernel spreads the
connections over them, as a mail server's several processes do. One aiosmtpd process reads
each mail line by line in one Python thread and became the limit of the newsletter benchmark
once the worker got faster (docs/performance.md).

    python bench/newsletter/sink.py PORT [PROCESSES]
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from aiosmtpd.handlers import Sink
from aiosmtpd.smtp import SMTP


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink()), "127.0.0.1", port, reuse_port=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    port = int(sys.argv[1])
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    children = []
    for _ in range(processes - 1):
        pid = os.fork()
        if pid == 0:
            asyncio.run(serve(port))
            os._exit(0)
        children.append(pid)

    def stop(*_: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)
        for child in children:
            os.waitpid(child, 0)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    asyncio.run(serve(port))


if __name__ == "__main__":
    main()
