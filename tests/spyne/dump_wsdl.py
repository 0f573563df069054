"""Writes the service's own WSDLs, as served, to the roundtrip fixtures:

    python3 tests/spyne/dump_wsdl.py

tests/fixtures/soap/roundtrip/spyne_service.wsdl   (SOAP 1.1, /soap11?wsdl)
tests/fixtures/soap/roundtrip/spyne_service12.wsdl (SOAP 1.2, /soap12?wsdl)

The bytes are kept as spyne writes them, except that the address of the
port (127.0.0.1 and the free port it ran on) becomes 127.0.0.1:8000;
tests/tests/soap_spyne.rs checks the files against the running service the
same way. spyne writes some schema types in an order that changes from run
to run, so the test compares each schema's children as a set.
"""

import os
import socket
import threading
import urllib.request
from wsgiref.simple_server import make_server

import service

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "soap", "roundtrip")
FILES = {"soap11": "spyne_service.wsdl", "soap12": "spyne_service12.wsdl"}


def main():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, service.dispatch, handler_class=service.QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path, name in FILES.items():
            with urllib.request.urlopen("http://127.0.0.1:%d/%s?wsdl" % (port, path)) as response:
                text = response.read()
            text = text.replace(b"127.0.0.1:%d" % port, b"127.0.0.1:8000")
            with open(os.path.join(FIXTURES, name), "wb") as out:
                out.write(text)
            print("wrote", os.path.normpath(os.path.join(FIXTURES, name)))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
