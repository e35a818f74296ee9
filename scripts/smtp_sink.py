#!/usr/bin/env python3
"""Local SMTP sink for tests: accepts every message and stores it as a file.

    python3 scripts/smtp_sink.py --port 2525 --dir /tmp/mails

Each message becomes <dir>/<epoch-ns>-<n>.eml (written to a hidden temp file first, then
renamed, so readers never see half a file). The file holds the message exactly as received
(dot-stuffing removed), preceded by two trace headers with the SMTP envelope:

    X-Sink-Mail-From: <sender>
    X-Sink-Rcpt-To: <rcpt1>, <rcpt2>

Prints "listening" (flushed) once the socket accepts connections; runs until killed.
Advertises 8BITMIME and SMTPUTF8. Listens on 127.0.0.1 only unless --host says otherwise.

Optional, for exercising the TLS/AUTH paths of a client:
    --tls-cert CERT --tls-key KEY   offer STARTTLS on --port
    --smtps-port N                  also listen with implicit TLS on port N (needs the cert)
    --auth USER:PASSWORD            require AUTH (PLAIN and LOGIN offered, also without TLS)
    --auth-exclude MECH             do not offer mechanism MECH (repeatable), e.g. PLAIN

Requires the PyPI package aiosmtpd (pip install aiosmtpd).
"""

import argparse
import asyncio
import itertools
import logging
import os
import signal
import ssl
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class SinkHandler:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        name = f"{time.time_ns()}-{number}.eml"
        final_path = os.path.join(self.directory, name)
        temp_path = os.path.join(self.directory, f".{name}.tmp")
        content = envelope.original_content
        if content is None:
            content = envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        trace = (
            f"X-Sink-Mail-From: <{envelope.mail_from}>\r\n"
            f"X-Sink-Rcpt-To: {', '.join(f'<{r}>' for r in envelope.rcpt_tos)}\r\n"
        ).encode("utf-8")
        with open(temp_path, "wb") as handle:
            handle.write(trace)
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temp_path, final_path)
        return "250 OK stored as " + name


def make_authenticator(credentials: str):
    user, _, password = credentials.partition(":")
    expected = (user.encode("utf-8"), password.encode("utf-8"))

    def authenticator(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == expected:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    return authenticator


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Local SMTP sink storing each message as a .eml file.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", required=True, help="directory for received messages (created if missing)")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--smtps-port", type=int)
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    parser.add_argument("--auth-exclude", action="append", default=[], metavar="MECH")
    parser.add_argument("--verbose", action="store_true", help="log the SMTP dialogue (aiosmtpd debug logging)")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if args.smtps_port and not args.tls_cert:
        parser.error("--smtps-port needs --tls-cert/--tls-key")
    return args


async def serve(args) -> None:
    os.makedirs(args.dir, exist_ok=True)
    handler = SinkHandler(args.dir)
    loop = asyncio.get_running_loop()

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    def factory(starttls_context):
        kwargs = dict(
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname="smtp-sink.localhost",
            tls_context=starttls_context,
            auth_require_tls=False,
        )
        if args.auth:
            kwargs.update(
                authenticator=make_authenticator(args.auth),
                auth_required=True,
                auth_exclude_mechanism=args.auth_exclude,
            )
        return SMTP(handler, loop=loop, **kwargs)

    servers = [await loop.create_server(lambda: factory(tls_context), host=args.host, port=args.port)]
    if args.smtps_port:
        servers.append(
            await loop.create_server(lambda: factory(None), host=args.host, port=args.smtps_port, ssl=tls_context)
        )

    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    print("listening", flush=True)
    await stop.wait()
    for server in servers:
        server.close()
        await server.wait_closed()


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR, stream=sys.stderr)
    # aiosmtpd warns about AUTH without TLS; that is deliberate for a local test sink.
    warnings.simplefilter("ignore")
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
