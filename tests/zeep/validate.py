"""Validates a SOAP envelope with libxml2's XML Schema validator (through
lxml, the same validator as `xmllint --schema`) against the schemas of a
WSDL.

usage: validate.py WSDL ENVELOPE_XSD ENVELOPE_XML

Each inline schema of wsdl:types is written to its own file (namespace
declarations inherited from wsdl:definitions included); an xs:import
without schemaLocation gets the file of the inline schema with that
namespace. A driver schema imports them and ENVELOPE_XSD (the envelope
structure, with header blocks and body entries validated strictly), and the
envelope is validated against it. Exits 0 when valid, else 1 with the
validator's errors on stderr.
"""
import copy
import os
import sys
import tempfile

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"


def main():
    wsdl_path, envelope_xsd, envelope_xml = sys.argv[1:4]
    tree = etree.parse(wsdl_path)
    schemas = tree.getroot().findall("{%s}types/{%s}schema" % (WSDL, XS))
    with tempfile.TemporaryDirectory() as tmp:
        locations = {}
        for i, schema in enumerate(schemas):
            locations[schema.get("targetNamespace", "")] = os.path.join(tmp, "schema%d.xsd" % i)
        for i, schema in enumerate(schemas):
            # A fresh root with the full in-scope nsmap keeps declarations
            # that are only used inside QName attribute values (tns:...).
            copied = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap=schema.nsmap)
            for child in schema:
                copied.append(copy.deepcopy(child))
            for imp in copied.findall("{%s}import" % XS):
                ns = imp.get("namespace", "")
                if imp.get("schemaLocation") is None and ns in locations:
                    imp.set("schemaLocation", locations[ns])
            etree.ElementTree(copied).write(locations[schema.get("targetNamespace", "")])
        env_ns = etree.parse(envelope_xsd).getroot().get("targetNamespace")
        imports = [(env_ns, os.path.abspath(envelope_xsd))] + sorted(locations.items())
        driver = os.path.join(tmp, "driver.xsd")
        with open(driver, "w") as f:
            f.write('<xs:schema xmlns:xs="%s">\n' % XS)
            for ns, loc in imports:
                f.write('  <xs:import namespace="%s" schemaLocation="%s"/>\n' % (ns, loc))
            f.write("</xs:schema>\n")
        schema = etree.XMLSchema(etree.parse(driver))
        document = etree.parse(envelope_xml)
        if schema.validate(document):
            sys.exit(0)
        for error in schema.error_log:
            sys.stderr.write("%s:%d:%d: %s\n" % (envelope_xml, error.line, error.column, error.message))
        sys.exit(1)


if __name__ == "__main__":
    main()
