"""Builds the envelope zeep sends for one call, as the independent SOAP
implementation the Rust client is compared with.

usage: create_message.py WSDL SERVICE PORT OPERATION CALL_JSON

CALL_JSON is {"body": {...keyword arguments...}, "headers": {...}}; the
envelope is printed to stdout. zeep adds WS-Addressing headers because the
port type carries wsaw:Action; the WSDL does not require WS-Addressing
(no UsingAddressing policy), so those blocks are removed before printing.
"""
import json
import sys

import zeep
from lxml import etree

WSA = "http://www.w3.org/2005/08/addressing"


def main():
    wsdl, service, port, operation, call = sys.argv[1:6]
    call = json.loads(call)
    client = zeep.Client(wsdl)
    proxy = client.bind(service, port)
    envelope = client.create_message(
        proxy, operation, _soapheaders=call.get("headers") or None, **call.get("body", {})
    )
    for header in envelope.findall("{*}Header"):
        for block in list(header):
            if etree.QName(block).namespace == WSA:
                header.remove(block)
        if len(header) == 0:
            envelope.remove(header)
    sys.stdout.write(etree.tostring(envelope, encoding="unicode"))


if __name__ == "__main__":
    main()
